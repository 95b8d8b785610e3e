import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const OUTBOX_KINDS = ['paid', 'refund', 'expired'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * One mail the shop owes a customer. `_id` is `<orderId>:<kind>` (`<orderId>:refund:<refundId>`
 * for refunds), so every racer that records it inserts the same document and only one exists.
 * The message is rendered when it is recorded: the sender only delivers what is stored.
 */
@Schema({ collection: 'outbox', versionKey: false })
export class OutboxMessage {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: String, required: true }) kind: OutboxKind;
  @Prop({ type: Types.ObjectId, required: true }) orderId: Types.ObjectId;
  @Prop({ type: String, default: '' }) orderNumber: string;
  @Prop({ required: true, lowercase: true }) to: string;
  @Prop({ required: true }) subject: string;
  @Prop({ required: true }) text: string;
  @Prop({ required: true }) html: string;
  @Prop({ type: String, required: true, default: 'pending' }) status: OutboxStatus;
  /** Delivery attempts so far (a resend starts again from 0). */
  @Prop({ default: 0 }) attempts: number;
  /** When the sender may try next; while a sender holds the message, the end of its lease. */
  @Prop({ type: Date, required: true }) nextAttemptAt: Date;
  /** The transport's last refusal (kept for the operator, never logged). */
  @Prop({ type: String, default: null }) lastError: string | null;
  @Prop({ type: Date, required: true }) createdAt: Date;
  @Prop({ type: Date, default: null }) sentAt: Date | null;
}

export type OutboxMessageDocument = HydratedDocument<OutboxMessage>;
export const OutboxMessageSchema = SchemaFactory.createForClass(OutboxMessage);
// Due messages, soonest first (the sender).
OutboxMessageSchema.index({ status: 1, nextAttemptAt: 1 });
// The operator's list, newest first, unfiltered or by one filter.
OutboxMessageSchema.index({ createdAt: -1, _id: -1 });
OutboxMessageSchema.index({ status: 1, createdAt: -1, _id: -1 });
OutboxMessageSchema.index({ to: 1, createdAt: -1, _id: -1 });
OutboxMessageSchema.index({ orderId: 1, createdAt: -1, _id: -1 });
