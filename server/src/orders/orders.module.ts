import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProductsModule } from '../products/products.module';
import { EntitlementsRepository } from './entitlements.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { OrderAccessTokens } from './order-access-token';
import { OrderStateService } from './order-state.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { Entitlement, EntitlementSchema } from './schemas/entitlement.schema';
import { IdempotencyKey, IdempotencyKeySchema } from './schemas/idempotency-key.schema';
import { Order, OrderSchema } from './schemas/order.schema';
import { StockReservations } from './stock-reservations';

@Module({
  imports: [
    ProductsModule,
    MongooseModule.forFeature([
      { name: Order.name, schema: OrderSchema },
      { name: IdempotencyKey.name, schema: IdempotencyKeySchema },
      { name: Entitlement.name, schema: EntitlementSchema },
    ]),
  ],
  controllers: [OrdersController],
  providers: [
    OrdersService,
    OrdersRepository,
    OrderStateService,
    IdempotencyRepository,
    EntitlementsRepository,
    OrderAccessTokens,
    StockReservations,
  ],
  exports: [
    OrdersService,
    OrdersRepository,
    OrderStateService,
    StockReservations,
    IdempotencyRepository,
    EntitlementsRepository,
  ],
})
export class OrdersModule {}
