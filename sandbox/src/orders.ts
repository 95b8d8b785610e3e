import { CURRENCY_EXPONENTS, MIN_AMOUNT_SUBUNITS, formatMajor } from './currencies';
import { nowSeconds, type OrderRecord } from './entities';
import { RazorpayError, notExist, validation } from './errors';
import { checkId, newId } from './ids';
import type { SandboxState } from './state';
import { booleanField, integerField, notesField, pageParams, rejectExtraFields } from './validate';

// Fields a Standard Checkout order may carry; anything else is "not required" like Razorpay.
const ORDER_FIELDS = [
  'amount',
  'currency',
  'receipt',
  'notes',
  'partial_payment',
  'first_payment_min_amount',
  'payment',
  'payment_capture',
  'method',
  'customer_id',
  'offer_id',
] as const;

function minAmountError(state: SandboxState, currency: string): RazorpayError {
  const major = formatMajor(MIN_AMOUNT_SUBUNITS, currency);
  switch (state.settings.minAmountMessage) {
    case 'at_least':
      return validation(`The amount must be at least ${major}`, 'amount');
    case 'atleast':
      return validation(`The amount must be atleast ${major}`, 'amount');
    default:
      return new RazorpayError(400, {
        description: 'Order amount less than minimum amount allowed',
        source: 'business',
        step: 'order_creation',
        reason: 'amount_less_than_minimum_amount',
        field: 'amount',
      });
  }
}

function captureMode(body: Record<string, unknown>): boolean {
  const payment = body.payment;
  if (payment !== undefined && payment !== null) {
    const capture = (payment as Record<string, unknown>).capture;
    if (typeof payment !== 'object' || (capture !== 'automatic' && capture !== 'manual')) {
      throw validation('The selected payment.capture is invalid.', 'payment.capture');
    }
    return capture === 'automatic';
  }
  // Legacy `payment_capture` (razorpay.md §1.1); auto-capture is the account default.
  return booleanField(body.payment_capture, 'payment_capture') ?? true;
}

export function createOrder(state: SandboxState, body: Record<string, unknown>): OrderRecord {
  rejectExtraFields(body, ORDER_FIELDS);
  const amount = integerField(body.amount, 'amount', true) as number;
  const currency = body.currency ?? 'INR';
  if (typeof currency !== 'string') {
    throw validation(`expected string but provided ${JSON.stringify(currency)}`, 'currency');
  }
  // Without international payments only the merchant's currency (INR) is accepted (§1.1).
  if (!CURRENCY_EXPONENTS.has(currency) || (!state.settings.international && currency !== 'INR')) {
    throw validation('Currency is not supported', 'currency');
  }
  if (amount < MIN_AMOUNT_SUBUNITS) throw minAmountError(state, currency);
  if (amount > state.settings.maxAmount) {
    throw validation('Amount exceeds maximum amount allowed.', 'amount');
  }
  // Three-decimal currencies: "pass the last digit as 0" (§1.1). Wording UNCONFIRMED.
  if (CURRENCY_EXPONENTS.get(currency) === 3 && amount % 10 !== 0) {
    throw validation(
      `The amount for ${currency} must have 0 as its last digit (three-decimal currency).`,
      'amount',
    );
  }
  let receipt: string | null = null;
  if (body.receipt !== undefined && body.receipt !== null) {
    if (typeof body.receipt !== 'string') {
      throw validation('The receipt must be a string.', 'receipt');
    }
    if (body.receipt.length > 40) {
      throw validation('The receipt may not be greater than 40 characters.', 'receipt');
    }
    receipt = body.receipt;
  }
  const notes = notesField(body.notes, state.settings);
  const partialPayment = booleanField(body.partial_payment, 'partial_payment') ?? false;
  const firstMin = integerField(body.first_payment_min_amount, 'first_payment_min_amount', false);
  if (firstMin !== undefined && !partialPayment) {
    throw validation(
      'first_payment_min_amount is/are not required and should not be sent',
      'first_payment_min_amount',
    );
  }
  const autoCapture = captureMode(body);
  if (state.settings.receiptUnique) {
    if (receipt === null) throw validation('The receipt field is required.', 'receipt');
    if ([...state.orders.values()].some((o) => o.receipt === receipt)) {
      throw validation('Order receipt should be unique.', 'receipt');
    }
  }
  const order: OrderRecord = {
    id: newId('order'),
    amount,
    currency,
    receipt,
    notes,
    partialPayment,
    autoCapture,
    amountPaid: 0,
    attempts: 0,
    status: 'created',
    createdAt: nowSeconds(),
  };
  state.orders.set(order.id, order);
  return order;
}

export function getOrder(state: SandboxState, id: string): OrderRecord {
  const order = state.orders.get(checkId(id, 'order'));
  if (!order) throw notExist();
  return order;
}

export function listOrders(state: SandboxState, query: Record<string, unknown>): OrderRecord[] {
  const { count, skip } = pageParams(query);
  const from = integerField(query.from, 'from', false);
  const to = integerField(query.to, 'to', false);
  const authorized = booleanField(query.authorized, 'authorized');
  const receipt = typeof query.receipt === 'string' ? query.receipt : undefined;
  const hasAuthorized = (o: OrderRecord) =>
    state.paymentsOf(o.id).some((p) => p.status !== 'failed' && p.status !== 'created');
  return [...state.orders.values()]
    .filter((o) => from === undefined || o.createdAt >= from)
    .filter((o) => to === undefined || o.createdAt <= to)
    .filter((o) => receipt === undefined || o.receipt === receipt)
    .filter((o) => authorized === undefined || hasAuthorized(o) === authorized)
    .reverse() // newest first
    .slice(skip, skip + count);
}
