import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * Razorpay order id → our order, keyed by `_id`. Webhooks and verify look orders up by Razorpay's
 * id on every call; FerretDB 1.24 only turns `_id` equality into an indexed SQL lookup, so this
 * keeps that hot path off a collection scan (MongoDB would serve either equally well).
 */
@Schema({ collection: 'razorpay_order_links', versionKey: false })
export class RazorpayOrderLink {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) orderId: Types.ObjectId;
}

export type RazorpayOrderLinkDocument = HydratedDocument<RazorpayOrderLink>;
export const RazorpayOrderLinkSchema = SchemaFactory.createForClass(RazorpayOrderLink);
