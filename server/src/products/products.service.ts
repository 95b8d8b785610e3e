import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { Page } from '../common/dto/page-query.dto';
import {
  CreateProductDto,
  ListProductsQueryDto,
  ProductResponse,
  StockAdjustmentDto,
  UpdateProductDto,
} from './dto/product.dto';
import { toProductResponse } from './product.mapper';
import { ProductsRepository } from './products.repository';

@Injectable()
export class ProductsService {
  private readonly logger = new Logger(ProductsService.name);

  constructor(private readonly products: ProductsRepository) {}

  async list(query: ListProductsQueryDto): Promise<Page<ProductResponse>> {
    const { items, total } = await this.products.listActive(query);
    return { items: items.map(toProductResponse), total, page: query.page, limit: query.limit };
  }

  /** Shoppers see active products only; operators also see archived ones. */
  async get(id: string, includeArchived = false): Promise<ProductResponse> {
    const product = await this.products.findById(id);
    if (!product || (!product.active && !includeArchived)) {
      throw new DomainException('PRODUCT_NOT_FOUND', 'Product not found');
    }
    return toProductResponse(product);
  }

  async create(dto: CreateProductDto): Promise<ProductResponse> {
    return toProductResponse(await this.products.create({ currency: 'INR', active: true, ...dto }));
  }

  async update(id: string, dto: UpdateProductDto): Promise<ProductResponse> {
    const product = await this.products.update(id, dto);
    if (!product) throw new DomainException('PRODUCT_NOT_FOUND', 'Product not found');
    return toProductResponse(product);
  }

  async adjustStock(id: string, dto: StockAdjustmentDto): Promise<ProductResponse> {
    const adjusted = await this.products.adjustStock(id, dto.delta);
    if (adjusted) {
      this.logger.log(
        `product ${id}: stock ${dto.delta > 0 ? '+' : ''}${dto.delta} (${dto.reason})`,
      );
      return toProductResponse(adjusted);
    }
    const product = await this.products.findById(id);
    if (!product) throw new DomainException('PRODUCT_NOT_FOUND', 'Product not found');
    throw new DomainException(
      'STOCK_INSUFFICIENT',
      `Only ${product.stock} units are available; cannot remove ${-dto.delta}`,
    );
  }

  /** Archiving keeps the product for past orders and hides it from the catalog. */
  archive(id: string): Promise<ProductResponse> {
    return this.update(id, { active: false });
  }
}
