import type { Features } from './features';
import type { PropertyStack } from './stack';

/** One product made for this sequence: stock is conserved per product, so each run has its own. */
export interface ModelProduct {
  id: string;
  price: number;
  initialStock: number;
  /** The sum of the stock adjustments the shop accepted. */
  adjustments: number;
}

export interface ModelOrder {
  id: string;
  accessToken: string;
  razorpayOrderId: string;
  amount: number;
  /** Whether the sequence's signed-in shopper placed it (otherwise a guest). */
  byUser: boolean;
}

export type PaymentKind = 'success' | 'failure' | 'late' | 'pending';

export interface ModelPayment {
  orderIndex: number;
  paymentId: string;
  kind: PaymentKind;
  /** Checkout's handler response, for a successful payment. */
  signature: string | null;
  /** A pending payment once it was completed. */
  completed: boolean;
}

/**
 * An operator's refund request, by its Idempotency-Key. `done`: the shop answered 2xx; `uncertain`:
 * it answered 5xx (Razorpay may or may not have refunded); `rejected`: 4xx, so nothing may happen.
 */
export interface RefundAsk {
  orderIndex: number;
  key: string;
  /** What was sent (undefined: "refund the rest"), and what that meant when it was sent. */
  requested: number | undefined;
  amount: number;
  /**
   * `amount` is only an upper bound: a "refund the rest" whose answer was lost. The shop takes
   * from the rest what earlier refunds still in flight may take, so the true amount is not known
   * until a retry answers (found by a 5,000-sequence run: an uncertain 10 % then an uncertain
   * "rest" refunded 1,090 + 9,810, not 1,090 + 10,900).
   */
  amountIsBound: boolean;
  outcome: 'done' | 'uncertain' | 'rejected';
  /** The sandbox was told to fail this refund asynchronously (refund.failed). */
  mayFail: boolean;
}

export interface SequenceModel {
  runId: string;
  products: ModelProduct[];
  orders: ModelOrder[];
  payments: ModelPayment[];
  refunds: RefundAsk[];
  /** Last Idempotency-Key used to place an order, with its body, for a repeated request. */
  lastOrderKey: { key: string; body: object; byUser: boolean } | null;
  /** Late authorisations armed without a flush control: wait this long before settling. */
  waitUntil: number;
  /**
   * Requests the sandbox holds (a latency fault) and applies after the shop gave up on them, as
   * Razorpay does: a flush cannot hasten them, so settling waits until they have landed.
   */
  heldRequestsLandBy: number;
  sequence: number;
}

export interface SequenceWorld {
  stack: PropertyStack;
  features: Features;
  admin: string;
  /** The sequence's signed-in shopper. */
  user: { token: string; id: string };
  /** Customer email of every order in this sequence (the admin list filters on it). */
  email: string;
  /** Lines appended by commands; printed when a sequence fails. */
  trace: string[];
}

export const CUSTOMER_NAME = 'Property Shopper';
export const CUSTOMER_CONTACT = '+919876543210';

export function nextId(model: SequenceModel, prefix: string): string {
  model.sequence++;
  return `${prefix}-${model.runId}-${model.sequence}`;
}
