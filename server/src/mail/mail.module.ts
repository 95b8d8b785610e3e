import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrderAccessTokens } from '../orders/order-access-token';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { MailSender } from './mail-sender';
import { MailSettings } from './mail-settings';
import { MailTransport } from './mail-transport';
import { OutboxRecovery } from './outbox-recovery';
import { OutboxController } from './outbox.controller';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { OutboxMessage, OutboxMessageSchema } from './schemas/outbox-message.schema';

/**
 * Order mail through an outbox. Global so the payment paths can record a message without their
 * modules importing this one (which imports them for the reconciler step).
 */
@Global()
@Module({
  imports: [
    OrdersModule,
    PaymentsModule,
    MongooseModule.forFeature([{ name: OutboxMessage.name, schema: OutboxMessageSchema }]),
  ],
  controllers: [OutboxController],
  providers: [
    MailSettings,
    MailTransport,
    MailSender,
    OutboxRepository,
    OutboxService,
    OutboxRecovery,
    OrderAccessTokens,
  ],
  exports: [OutboxService, MailSender],
})
export class MailModule {}
