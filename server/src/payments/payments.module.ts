import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrdersModule } from '../orders/orders.module';
import { PaymentSettlementService } from './payment-settlement.service';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { ReconcilerScheduler } from './reconciler.scheduler';
import { ReconcilerService } from './reconciler.service';
import { RefundsRepository } from './refunds.repository';
import { RefundsService } from './refunds.service';
import { Payment, PaymentSchema } from './schemas/payment.schema';
import { Refund, RefundSchema } from './schemas/refund.schema';

@Module({
  imports: [
    OrdersModule,
    MongooseModule.forFeature([
      { name: Payment.name, schema: PaymentSchema },
      { name: Refund.name, schema: RefundSchema },
    ]),
  ],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    PaymentSettlementService,
    PaymentsRepository,
    RefundsRepository,
    RefundsService,
    ReconcilerService,
    ReconcilerScheduler,
  ],
  exports: [
    PaymentSettlementService,
    RefundsService,
    ReconcilerService,
    PaymentsRepository,
    RefundsRepository,
  ],
})
export class PaymentsModule {}
