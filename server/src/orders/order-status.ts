export const ORDER_STATUSES = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'expired',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Which statuses an order may move to from each status: the whole lifecycle in one table. */
export const ALLOWED_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'expired', 'cancelled'],
  paid: ['partially_refunded', 'refunded'],
  // A refund that Razorpay reports as failed gives the money back to the order.
  partially_refunded: ['partially_refunded', 'refunded', 'paid'],
  refunded: ['partially_refunded', 'paid'],
  expired: [],
  cancelled: [],
};

/** The statuses an order can be in for a move to `to` to be allowed, optionally narrowed to `from`. */
export function statusesAllowedBefore(
  to: OrderStatus,
  from?: readonly OrderStatus[],
): OrderStatus[] {
  return ORDER_STATUSES.filter(
    (status) => ALLOWED_TRANSITIONS[status].includes(to) && (!from || from.includes(status)),
  );
}

/** Paid, and not fully refunded: the rule behind "did this user buy this product?". */
/** An order that ends in one of these gives its stock back (once: stockReleased is the claim). */
export const ENDS_UNPAID: readonly OrderStatus[] = ['expired', 'cancelled'];

export const PURCHASED_STATUSES: readonly OrderStatus[] = ['paid', 'partially_refunded'];

export type TransitionSource =
  'checkout' | 'verify' | 'webhook' | 'reconciler' | 'admin' | 'expiry';

/** The shopper-facing view of an order's payment (see OrderResponse.paymentState). */
export const PAYMENT_STATES = [
  'awaiting_payment',
  'confirming',
  'failed',
  'settled',
  'closed',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
