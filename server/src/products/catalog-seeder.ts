import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
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
    await this.products.insertMany(DEMO_PRODUCTS);
    this.logger.log(`Seeded ${DEMO_PRODUCTS.length} demo products`);
  }
}
