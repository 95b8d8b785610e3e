import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PaymentsModule } from '../payments/payments.module';
import { WebhookEvent, WebhookEventSchema } from './schemas/webhook-event.schema';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [
    PaymentsModule,
    MongooseModule.forFeature([{ name: WebhookEvent.name, schema: WebhookEventSchema }]),
  ],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookEventsRepository],
  exports: [WebhooksService, WebhookEventsRepository],
})
export class WebhooksModule {}
