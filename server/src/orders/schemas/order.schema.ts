import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { ORDER_STATUSES, OrderStatus, TransitionSource } from '../order-status';

@Schema({ _id: false })
export class OrderItem {
  @Prop({ type: Types.ObjectId, required: true }) productId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  /** Integer paise, copied from the catalog when the order was placed. */
  @Prop({ required: true }) unitPrice: number;
  @Prop({ required: true }) quantity: number;
  @Prop({ required: true }) lineTotal: number;
  @Prop({ default: '' }) imageUrl: string;
}
export const OrderItemSchema = SchemaFactory.createForClass(OrderItem);

@Schema({ _id: false })
export class Customer {
  @Prop({ required: true }) name: string;
  @Prop({ required: true, lowercase: true }) email: string;
  @Prop({ required: true }) contact: string;
}
export const CustomerSchema = SchemaFactory.createForClass(Customer);

@Schema({ _id: false })
export class OrderHistoryEntry {
  @Prop({ required: true, type: String }) status: OrderStatus;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true, type: String }) source: TransitionSource;
  @Prop() note?: string;
}
export const OrderHistoryEntrySchema = SchemaFactory.createForClass(OrderHistoryEntry);

@Schema({ _id: false })
export class PaymentError {
  @Prop() code: string;
  @Prop() description: string;
  @Prop() reason: string;
  @Prop() paymentId: string;
  @Prop() at: Date;
}
export const PaymentErrorSchema = SchemaFactory.createForClass(PaymentError);

@Schema({ _id: false })
export class FlaggedPayment {
  @Prop({ required: true }) paymentId: string;
  /** late_payment, duplicate_payment or amount_mismatch. */
  @Prop({ required: true }) reason: string;
  /** Integer paise, as Razorpay captured it. */
  @Prop({ required: true }) amount: number;
  @Prop({ required: true }) at: Date;
}
export const FlaggedPaymentSchema = SchemaFactory.createForClass(FlaggedPayment);

/**
 * An order embeds snapshots of what was bought (no joins on FerretDB) and moves only through
 * OrderStateService.transition.
 */
@Schema({ timestamps: true, collection: 'orders' })
export class Order {
  @Prop({ type: String, enum: ORDER_STATUSES, required: true, default: 'pending' })
  status: OrderStatus;
  /** `DK-000123`, from the atomic counter (order-numbers.ts); empty on orders placed before numbering. */
  @Prop({ type: String, default: '' }) orderNumber: string;
  @Prop({ type: [OrderItemSchema], required: true }) items: OrderItem[];
  /** Integer paise, computed on the server from the catalog. */
  @Prop({ required: true, min: 100 }) amount: number;
  @Prop({ required: true, default: 'INR' }) currency: string;
  @Prop({ default: 0 }) amountRefunded: number;
  @Prop({ type: CustomerSchema, required: true }) customer: Customer;
  /**
   * customer.email at the top level: the embedded database answers only top-level equalities from
   * an index (docs/database.md), and "this customer's orders" must not read every order.
   */
  @Prop({ required: true, lowercase: true }) customerEmail: string;
  @Prop({ type: Types.ObjectId, default: null }) userId: Types.ObjectId | null;
  /** Always set (a placeholder until Razorpay answers): FerretDB 1.24 has no sparse/partial indexes. */
  @Prop({ required: true, unique: true }) razorpayOrderId: string;
  @Prop({ required: true }) expiresAt: Date;
  @Prop({ type: Date, default: null }) paidAt: Date | null;
  /** paidAt's UTC day (paid-day.ts): "paid recently" answered from an index on either engine. */
  @Prop({ type: String, default: null }) paidDay: string | null;
  @Prop({ type: String, default: null }) paymentId: string | null;
  /** Stock is taken at creation and given back exactly once when the order ends unpaid. */
  @Prop({ default: false }) stockReleased: boolean;
  /**
   * Set by the move to expired/cancelled, cleared by the release: the reconciler finds what a
   * crash left held from an index on this flag, not by reading every ended order.
   */
  @Prop({ default: false, index: true }) stockReleasePending: boolean;
  /** Payments that reached an order that could not take them (late, duplicate, wrong amount): each is refunded on its own. */
  @Prop({ type: [FlaggedPaymentSchema], default: [] }) flaggedPayments: FlaggedPayment[];
  /** The same payments' ids, the guard that adds each one once. */
  @Prop({ type: [String], default: [] }) flaggedPaymentIds: string[];
  /** Flagged payments whose refund Razorpay has accepted; a flag is open until its id is here. */
  @Prop({ type: [String], default: [] }) refundedFlaggedPaymentIds: string[];
  /** Refunds of the order's own payment counted in amountRefunded (each once). */
  @Prop({ type: [String], default: [] }) appliedRefundIds: string[];
  /** Refunds Razorpay reported failed: never counted (again), and given back if they were. */
  @Prop({ type: [String], default: [] }) revertedRefundIds: string[];
  @Prop({ type: PaymentErrorSchema, default: null }) lastPaymentError: PaymentError | null;
  /** A payment Razorpay authorised (or the checkout reported) whose capture is not confirmed yet. */
  @Prop({ type: String, default: null }) confirmingPaymentId: string | null;
  @Prop({ default: 0 }) failedVerifications: number;
  /**
   * When the reconciler may next look at this order: a lease while one instance works on it, then
   * a backoff, so the least recently checked order always comes first and none starves the rest.
   */
  @Prop({ type: Date, default: () => new Date(0) }) reconcileLeaseUntil: Date;
  @Prop({ default: 0 }) reconcileAttempts: number;
  @Prop({ type: [OrderHistoryEntrySchema], default: [] }) history: OrderHistoryEntry[];
  /**
   * Only on the reconciler's stand-in for a placement that never recorded its order
   * (OrdersRepository.lapsePlacement): no order has it, and no query but one by _id finds it.
   */
  @Prop() lapsedPlacement?: boolean;
  /** createdAt's UTC day (utc-day.ts): operator lists read the newest days, not the history. */
  @Prop({ required: true }) createdDay: string;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderDocument = HydratedDocument<Order>;
export const OrderSchema = SchemaFactory.createForClass(Order);
// One index per query shape (server/test/query-indexes.e2e-spec.ts checks every query has one):
// equality fields first, then the sort with its _id tie-breaker, then ranges. The first key is
// also what the embedded database searches (docs/database.md), so it is the most selective one.
// My orders (the purchase check reads entitlements, then orders by _id).
OrderSchema.index({ userId: 1, createdAt: -1, _id: -1 });
// The reconciler's due pending orders, least recently checked first; and the open-order count.
OrderSchema.index({ status: 1, reconcileLeaseUntil: 1, _id: 1, createdAt: 1 });
// Orders paid on given days (outbox recovery).
OrderSchema.index({ paidDay: 1, status: 1, _id: -1 });
// Operator lists (day-pages.ts): newest first by (createdAt, _id) within the days read.
OrderSchema.index({ createdDay: 1, createdAt: -1, _id: -1 });
OrderSchema.index({ createdDay: 1, status: 1, createdAt: -1, _id: -1 });
OrderSchema.index({ customerEmail: 1, createdAt: -1, _id: -1 });
OrderSchema.index({ orderNumber: 1, createdAt: -1, _id: -1 });
