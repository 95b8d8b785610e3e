import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const REFUND_STATUSES = ['pending', 'processed', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A refund, keyed by Razorpay's id; inserting it is what counts its amount against the order, once. */
@Schema({ timestamps: true, collection: 'refunds' })
export class Refund {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true, index: true }) orderId: Types.ObjectId;
  @Prop({ required: true }) paymentId: string;
  @Prop({ required: true }) amount: number;
  @Prop({ required: true }) currency: string;
  @Prop({ type: String, enum: REFUND_STATUSES, required: true }) status: RefundStatus;
  @Prop({ default: '' }) idempotencyKey: string;
}

export type RefundDocument = HydratedDocument<Refund>;
export const RefundSchema = SchemaFactory.createForClass(Refund);
