import { ProductResponse } from './dto/product.dto';
import { ProductDocument } from './schemas/product.schema';

export function toProductResponse(p: ProductDocument): ProductResponse {
  return {
    id: p.id as string,
    name: p.name,
    description: p.description,
    price: p.price,
    currency: p.currency,
    imageUrl: p.imageUrl,
    stock: p.stock,
    active: p.active,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
