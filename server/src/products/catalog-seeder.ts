import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AppConfig } from '../config/app-config';
import { DEMO_PRODUCTS } from './demo-products';
import { ProductsRepository } from './products.repository';

/** Fills an empty catalogue with demo products (SEED_DEMO_PRODUCTS=false turns it off). */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogSeeder.name);

  constructor(
    private readonly products: ProductsRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('SEED_DEMO_PRODUCTS') !== 'true') return;
    if ((await this.products.count()) > 0) return;
    // Fixed ids: instances starting together on one empty database insert each product once.
    const added = await this.products.insertMissing(
      DEMO_PRODUCTS.map((product, index) => ({ ...product, _id: demoProductId(index) })),
    );
    if (added > 0) this.logger.log(`Seeded ${added} demo products`);
  }
}

function demoProductId(index: number): Types.ObjectId {
  const hex = createHash('sha256').update(`demo-product-${index}`).digest('hex').slice(0, 24);
  return new Types.ObjectId(hex);
}
