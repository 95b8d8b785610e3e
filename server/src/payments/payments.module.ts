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
import { RefundIntent, RefundIntentSchema } from './schemas/refund-intent.schema';
import { RefundIntentsRepository } from './refund-intents.repository';

@Module({
  imports: [
    OrdersModule,
    MongooseModule.forFeature([
      { name: Payment.name, schema: PaymentSchema },
      { name: Refund.name, schema: RefundSchema },
      { name: RefundIntent.name, schema: RefundIntentSchema },
    ]),
  ],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    PaymentSettlementService,
    PaymentsRepository,
    RefundsRepository,
    RefundIntentsRepository,
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
