import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
} from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto';

export class ListProductsQueryDto extends PageQueryDto {
  /** Case-insensitive match on the product name. */
  @IsOptional() @IsString() @MaxLength(100) search?: string;
}

export class CreateProductDto {
  @ApiProperty({ example: 'Handwoven cotton dhurrie' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
  @ApiProperty({ required: false, example: 'A flat-woven rug from Rajasthan, 120 × 180 cm.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
  /** Price in integer paise (₹1,299.00 is 129900). */
  @ApiProperty({ example: 129900 }) @IsInt() @Min(100) price: number;
  @IsOptional() @IsIn(['INR']) currency?: 'INR';
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^(\/|https?:\/\/)/, { message: 'imageUrl must be a path or an http(s) URL' })
  imageUrl?: string;
  @ApiProperty({ example: 25 }) @IsInt() @Min(0) stock: number;
  @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateProductDto extends PartialType(CreateProductDto) {
  /**
   * Replaces the units available for sale right now (units held by pending orders are not part of
   * it and come back if those orders expire). To add or remove units while orders are being placed,
   * use POST /api/products/{id}/stock-adjustments, which cannot lose a concurrent reservation.
   */
  @ApiProperty({ required: false, example: 25 })
  @IsOptional()
  @IsInt()
  @Min(0)
  override stock?: number;
}

export class StockAdjustmentDto {
  /** Units to add (positive) or remove (negative); removing more than is available is a 409. */
  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @NotEquals(0)
  delta: number;
  @ApiProperty({ example: 'Received a new shipment' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

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
