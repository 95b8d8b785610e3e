import {
  nowSeconds,
  type OrderRecord,
  type PaymentError,
  type PaymentMethod,
  type PaymentRecord,
  type RefundRecord,
} from './entities';
import { badState, notExist, orderAlreadyPaid, RazorpayError, validation } from './errors';
import { checkId, newId } from './ids';
import type { ResolvedInstrument } from './instruments';
import type { SandboxState } from './state';
import { integerField, pageParams, rejectExtraFields } from './validate';
import type { WebhookEventName } from './webhooks/events';

/** Records an event; the engine turns the records into snapshots at this instant. */
export type Emit = (
  event: WebhookEventName,
  refs: { payment: PaymentRecord; order?: OrderRecord; refund?: RefundRecord },
) => void;

export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  'card',
  'upi',
  'netbanking',
  'wallet',
  'emi',
  'paylater',
  'cardless_emi',
  'bank_transfer',
];

export interface Customer {
  email?: string;
  contact?: string;
  description?: string | null;
}

export function getPayment(state: SandboxState, id: string): PaymentRecord {
  const payment = state.payments.get(checkId(id, 'pay'));
  if (!payment) throw notExist();
  return payment;
}

export function listPayments(state: SandboxState, query: Record<string, unknown>): PaymentRecord[] {
  const { count, skip } = pageParams(query);
  return [...state.payments.values()].reverse().slice(skip, skip + count);
}

/** Server rule: no new payment once paid, or while an authorized one exists (razorpay.md §1.1). */
export function assertPayable(state: SandboxState, order: OrderRecord): void {
  const authorized = state.paymentsOf(order.id).some((p) => p.status === 'authorized');
  if (order.status === 'paid' || (authorized && !order.partialPayment)) {
    throw orderAlreadyPaid(order.id);
  }
}

export function startPayment(
  state: SandboxState,
  order: OrderRecord,
  method: PaymentMethod,
  instrument: ResolvedInstrument,
  customer: Customer,
): PaymentRecord {
  const payment: PaymentRecord = {
    id: newId('pay'),
    orderId: order.id,
    amount: order.amount - order.amountPaid,
    currency: order.currency,
    status: 'created',
    method,
    amountRefunded: 0,
    description: customer.description ?? null,
    // Razorpay test mode's placeholders (razorpay.md §8).
    email: customer.email || 'void@razorpay.com',
    contact: customer.contact || '+919999999999',
    notes: { ...order.notes },
    card: instrument.card,
    bank: instrument.bank,
    wallet: instrument.wallet,
    vpa: instrument.vpa,
    upiFlow: instrument.upiFlow,
    provider: instrument.provider,
    error: null,
    authorizedAt: null,
    capturedAt: null,
    createdAt: nowSeconds(),
  };
  state.payments.set(payment.id, payment);
  order.attempts += 1;
  if (order.status === 'created') order.status = 'attempted';
  return payment;
}

export function failPayment(payment: PaymentRecord, error: PaymentError, emit: Emit): void {
  payment.status = 'failed';
  payment.error = error;
  emit('payment.failed', { payment });
}

/** created/failed → authorized (failed → authorized is Razorpay's late authorisation). */
export function markAuthorized(payment: PaymentRecord, emit: Emit): void {
  payment.status = 'authorized';
  payment.error = null;
  payment.authorizedAt = nowSeconds();
  emit('payment.authorized', { payment });
}

export function capturePayment(state: SandboxState, payment: PaymentRecord, emit: Emit): void {
  const order = state.orders.get(payment.orderId) as OrderRecord;
  payment.status = 'captured';
  payment.capturedAt = nowSeconds();
  order.amountPaid = Math.min(order.amount, order.amountPaid + payment.amount);
  if (order.amountPaid >= order.amount) order.status = 'paid';
  emit('payment.captured', { payment });
  // order.paid fires only when the order is fully paid (razorpay.md §10.6).
  if (order.status === 'paid') emit('order.paid', { payment, order });
}

/** `POST /v1/payments/:id/capture` with Razorpay's checks and strings (razorpay.md §2.4). */
export function captureFromApi(
  state: SandboxState,
  id: string,
  body: Record<string, unknown>,
  emit: Emit,
): PaymentRecord {
  const payment = getPayment(state, id);
  rejectExtraFields(body, ['amount', 'currency']);
  const amount = integerField(body.amount, 'amount', true) as number;
  // Both are mandatory in the docs (razorpay.md §2.4); the SDK omits a non-string currency.
  if (body.currency === undefined || body.currency === null || body.currency === '') {
    throw validation('currency: is required.', 'currency');
  }
  if (typeof body.currency !== 'string') {
    throw validation(`expected string but provided ${JSON.stringify(body.currency)}`, 'currency');
  }
  if (payment.status === 'captured' || payment.status === 'refunded') {
    throw badState(
      'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.',
    );
  }
  if (payment.status !== 'authorized') {
    throw badState('Only payments which have been authorized and not yet captured can be captured');
  }
  if (amount !== payment.amount) {
    throw new RazorpayError(400, {
      description: 'Capture amount must be equal to the amount authorized',
      source: 'business',
      step: 'payment_initiation',
      reason: 'input_validation_failed',
      field: 'amount',
    });
  }
  if (body.currency !== payment.currency) {
    throw validation('Capture request currency must be same as payment currency', 'currency');
  }
  capturePayment(state, payment, emit);
  return payment;
}
