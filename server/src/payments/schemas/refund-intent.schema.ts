import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const REFUND_INTENT_STATUSES = ['open', 'done', 'rejected'] as const;
export type RefundIntentStatus = (typeof REFUND_INTENT_STATUSES)[number];

/**
 * A refund the shop has decided to make, written before Razorpay is called. Its Razorpay
 * idempotency key and body never change, so any retry (the operator's, after a timeout or a crash,
 * or the reconciler's) reaches the same refund at Razorpay instead of paying out twice.
 */
@Schema({ timestamps: true, collection: 'refund_intents' })
export class RefundIntent {
  /** Scoped: the operator's Idempotency-Key for this order, or the flagged payment and attempt. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) orderId: Types.ObjectId;
  @Prop({ required: true }) paymentId: string;
  /** Integer paise. */
  @Prop({ required: true }) amount: number;
  /** Sent as X-Refund-Idempotency; Razorpay wants the same body with the same key. */
  @Prop({ required: true }) razorpayKey: string;
  @Prop({ type: String, enum: ['operator', 'flagged'], required: true }) kind:
    'operator' | 'flagged';
  @Prop({ type: String, enum: REFUND_INTENT_STATUSES, required: true })
  status: RefundIntentStatus;
  @Prop({ type: String, default: null }) refundId: string | null;
  @Prop({ type: String, default: null }) error: string | null;
  @Prop({ default: 0 }) attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export type RefundIntentDocument = HydratedDocument<RefundIntent>;
export const RefundIntentSchema = SchemaFactory.createForClass(RefundIntent);
RefundIntentSchema.index({ paymentId: 1, status: 1 });
// Open intents to complete, oldest first (the reconciler).
RefundIntentSchema.index({ status: 1, updatedAt: 1 });
