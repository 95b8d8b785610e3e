import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

export const WEBHOOK_EVENT_STATUSES = ['processing', 'processed', 'failed'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/** Every verified delivery, keyed by X-Razorpay-Event-Id: inserted before any effect, so a repeat is seen. */
@Schema({ timestamps: true, collection: 'webhook_events' })
export class WebhookEvent {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) event: string;
  /**
   * The exact bytes Razorpay signed, kept for replay and audit; null once a processed event is
   * older than WEBHOOK_RETENTION_DAYS (it holds the customer's contact details).
   */
  @Prop({ type: String, default: null }) rawBody: string | null;
  /** False once rawBody is pruned: a bool equality the embedded database answers from an index. */
  @Prop({ default: true }) rawBodyKept: boolean;
  @Prop({ type: String, default: null }) razorpayOrderId: string | null;
  @Prop({ type: String, enum: WEBHOOK_EVENT_STATUSES, required: true }) status: WebhookEventStatus;
  @Prop({ type: Date, required: true }) leaseUntil: Date;
  @Prop({ default: 1 }) deliveries: number;
  @Prop({ default: 0 }) attempts: number;
  @Prop({ type: String, default: null }) lastError: string | null;
  @Prop({ type: Date, default: null }) processedAt: Date | null;
  /**
   * processedAt's UTC day while the raw body is kept, null otherwise: retention asks for the days
   * past WEBHOOK_RETENTION_DAYS (an equality the embedded database answers from the index), so a
   * cycle reads what is due, not every kept event.
   */
  @Prop({ type: String, default: null }) keptDay: string | null;
  /** Razorpay's created_at for the event (seconds), for lag metrics. */
  @Prop({ default: 0 }) eventCreatedAt: number;
  /** When it first arrived, as a UTC day (utc-day.ts): the event list reads the newest days only. */
  @Prop({ required: true }) createdDay: string;
  createdAt: Date;
}

export type WebhookEventDocument = HydratedDocument<WebhookEvent>;
export const WebhookEventSchema = SchemaFactory.createForClass(WebhookEvent);
// The event list (day-pages.ts), unfiltered or by status or by event name.
WebhookEventSchema.index({ createdDay: 1, createdAt: -1, _id: -1 });
WebhookEventSchema.index({ createdDay: 1, status: 1, createdAt: -1, _id: -1 });
WebhookEventSchema.index({ createdDay: 1, event: 1, createdAt: -1, _id: -1 });
// An order's events, oldest first (the operator's order detail).
WebhookEventSchema.index({ razorpayOrderId: 1, createdAt: 1 });
WebhookEventSchema.index({ status: 1, leaseUntil: 1 });
// Retention: kept bodies processed on given days, before a cut-off.
WebhookEventSchema.index({ keptDay: 1, processedAt: 1 });
