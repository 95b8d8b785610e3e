import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const REFUND_STATUSES = ['pending', 'processed', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
/** How far a refund has got: a snapshot only replaces an earlier one. */
export const REFUND_STATUS_RANK: Record<RefundStatus, number> = {
  pending: 0,
  processed: 1,
  failed: 2,
};

/** Razorpay's refund as we last saw it, keyed by its id; the order counts it once (Order.appliedRefundIds). */
@Schema({ timestamps: true, collection: 'refunds' })
export class Refund {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) orderId: Types.ObjectId;
  @Prop({ required: true }) paymentId: string;
  @Prop({ required: true }) amount: number;
  @Prop({ required: true }) currency: string;
  @Prop({ type: String, enum: REFUND_STATUSES, required: true }) status: RefundStatus;
  @Prop({ required: true }) statusRank: number;
}

export type RefundDocument = HydratedDocument<Refund>;
export const RefundSchema = SchemaFactory.createForClass(Refund);
// An order's refunds, oldest first; a payment's refunds by status.
RefundSchema.index({ orderId: 1, createdAt: 1 });
RefundSchema.index({ paymentId: 1, status: 1 });
