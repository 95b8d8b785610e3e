import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, RequireAuth } from '../auth/authenticated-user';
import { ObjectIdPipe } from '../common/object-id.pipe';
import {
  CreateProductDto,
  ListProductsQueryDto,
  ProductPage,
  ProductResponse,
  StockAdjustmentDto,
  UpdateProductDto,
} from './dto/product.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Active products, paged, optionally filtered by name. */
  @Get()
  list(@Query() query: ListProductsQueryDto): Promise<ProductPage> {
    return this.products.list(query);
  }

  @Get(':id')
  get(
    @Param('id', ObjectIdPipe) id: string,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<ProductResponse> {
    return this.products.get(id, user?.role === 'admin');
  }

  @Post()
  @ApiBearerAuth()
  @RequireAuth('admin')
  create(@Body() dto: CreateProductDto): Promise<ProductResponse> {
    return this.products.create(dto);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @RequireAuth('admin')
  update(
    @Param('id', ObjectIdPipe) id: string,
    @Body() dto: UpdateProductDto,
  ): Promise<ProductResponse> {
    return this.products.update(id, dto);
  }

  /** Adds or removes units atomically (a `$inc`), so concurrent orders never lose a reservation. */
  @Post(':id/stock-adjustments')
  @ApiBearerAuth()
  @RequireAuth('admin')
  adjustStock(
    @Param('id', ObjectIdPipe) id: string,
    @Body() dto: StockAdjustmentDto,
  ): Promise<ProductResponse> {
    return this.products.adjustStock(id, dto);
  }

  /** Archives the product: hidden from the catalog, kept for past orders. */
  @Delete(':id')
  @ApiBearerAuth()
  @RequireAuth('admin')
  archive(@Param('id', ObjectIdPipe) id: string): Promise<ProductResponse> {
    return this.products.archive(id);
  }
}
