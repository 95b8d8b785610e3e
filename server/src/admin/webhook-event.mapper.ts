import { WebhookEventDocument } from '../webhooks/schemas/webhook-event.schema';
import { WebhookEventResponse } from './dto/admin.dto';

export function toWebhookEventResponse(e: WebhookEventDocument): WebhookEventResponse {
  return {
    id: e._id,
    event: e.event,
    status: e.status,
    razorpayOrderId: e.razorpayOrderId,
    deliveries: e.deliveries,
    attempts: e.attempts,
    lastError: e.lastError,
    receivedAt: e.createdAt,
    processedAt: e.processedAt,
  };
}
