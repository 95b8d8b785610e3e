import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { AccountController } from './account.controller';
import { PurchasesService } from './purchases.service';

@Module({
  imports: [OrdersModule],
  controllers: [AccountController],
  providers: [PurchasesService],
})
export class AccountModule {}
