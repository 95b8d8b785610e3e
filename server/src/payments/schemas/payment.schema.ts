import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { RazorpayPaymentStatus } from '../../razorpay/razorpay.types';

/** How far a payment has got; a snapshot only ever replaces an earlier one (failed → authorized is allowed). */
export const PAYMENT_STATUS_RANK: Record<RazorpayPaymentStatus, number> = {
  created: 0,
  failed: 1,
  authorized: 2,
  captured: 3,
  refunded: 4,
};

/** Razorpay's payment as we last saw it, keyed by its id so every input updates one record. */
@Schema({ timestamps: true, collection: 'payments' })
export class Payment {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, default: null }) orderId: Types.ObjectId | null;
  @Prop({ required: true }) razorpayOrderId: string;
  @Prop({ required: true }) amount: number;
  @Prop({ required: true }) currency: string;
  @Prop({ type: String, required: true }) status: RazorpayPaymentStatus;
  @Prop({ required: true }) statusRank: number;
  @Prop({ default: '' }) method: string;
  @Prop({ type: String, default: null }) errorCode: string | null;
  @Prop({ type: String, default: null }) errorDescription: string | null;
  @Prop({ required: true }) lastSource: string;
}

export type PaymentDocument = HydratedDocument<Payment>;
export const PaymentSchema = SchemaFactory.createForClass(Payment);
// An order's payments, oldest first.
PaymentSchema.index({ orderId: 1, createdAt: 1 });
