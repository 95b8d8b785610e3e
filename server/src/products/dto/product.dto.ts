import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto';

export class ListProductsQueryDto extends PageQueryDto {
  /** Case-insensitive match on the product name. */
  @IsOptional() @IsString() @MaxLength(100) search?: string;
}

export class CreateProductDto {
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  /** Price in integer paise (₹1,299.00 is 129900). */
  @ApiProperty({ example: 129900 }) @IsInt() @Min(100) price: number;
  @IsOptional() @IsIn(['INR']) currency?: 'INR';
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^(\/|https?:\/\/)/, { message: 'imageUrl must be a path or an http(s) URL' })
  imageUrl?: string;
  @IsInt() @Min(0) stock: number;
  @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateProductDto extends PartialType(CreateProductDto) {}

export class ProductResponse {
  id: string;
  name: string;
  description: string;
  /** Integer paise. */
  price: number;
  currency: string;
  imageUrl: string;
  stock: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export class ProductPage {
  @ApiProperty({ type: [ProductResponse] }) items: ProductResponse[];
  total: number;
  page: number;
  limit: number;
}
