import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

@Schema({ timestamps: true, collection: 'products' })
export class Product {
  @Prop({ required: true, trim: true }) name: string;
  @Prop({ default: '' }) description: string;
  /** Integer paise. */
  @Prop({ required: true, min: 100 }) price: number;
  @Prop({ required: true, default: 'INR' }) currency: string;
  @Prop({ default: '' }) imageUrl: string;
  /** What can still be bought: decremented atomically when an order reserves it. */
  @Prop({ required: true, min: 0 }) stock: number;
  @Prop({ default: true }) active: boolean;
  /** `<orderId>:<quantity>` of reservations whose order is not yet recorded (see StockReservations). */
  @Prop({ type: [String], default: [] }) reservations: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type ProductDocument = HydratedDocument<Product>;
export const ProductSchema = SchemaFactory.createForClass(Product);
// The catalog, oldest first; and products still holding a reservation (the reconciler's sweep).
ProductSchema.index({ active: 1, createdAt: 1, _id: 1 });
ProductSchema.index({ reservations: 1 });
