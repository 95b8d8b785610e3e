import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/** Claims an Idempotency-Key for order creation; `_id` is scoped to the caller so keys cannot collide across users. */
@Schema({ collection: 'idempotency_keys' })
export class IdempotencyKey {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) requestHash: string;
  /** Chosen when the key is claimed: the one order this key can ever create. */
  @Prop({ type: Types.ObjectId, required: true }) orderId: Types.ObjectId;
  /** When the current attempt started; an attempt older than a minute without its order was abandoned. */
  @Prop({ required: true }) createdAt: Date;
  @Prop({ required: true, index: true }) expiresAt: Date;
}

export type IdempotencyKeyDocument = HydratedDocument<IdempotencyKey>;
export const IdempotencyKeySchema = SchemaFactory.createForClass(IdempotencyKey);
