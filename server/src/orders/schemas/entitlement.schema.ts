import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * "Did this user buy this product?" found by `_id`, whatever the shop's history: the orders of
 * one user containing one product that were about to become paid. Written before the move to
 * paid, so every purchase has one; a candidate whose move did not happen, or was refunded since,
 * is checked against its order (PurchasesService), so the list only ever has too many.
 */
@Schema({ collection: 'entitlements', versionKey: false })
export class Entitlement {
  /** `<userId>:<productId>` (entitlementId). */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) userId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) productId: Types.ObjectId;
  @Prop({ type: [Types.ObjectId], default: [] }) orderIds: Types.ObjectId[];
}

export const EntitlementSchema = SchemaFactory.createForClass(Entitlement);

export function entitlementId(userId: Types.ObjectId | string, productId: Types.ObjectId | string) {
  return `${String(userId)}:${String(productId)}`;
}
