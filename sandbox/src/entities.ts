// In-memory records and their public JSON views (key order follows Razorpay's samples).

export type Notes = Record<string, string | number | boolean | null>;
export type OrderStatus = 'created' | 'attempted' | 'paid';
export type PaymentStatus = 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
export type PaymentMethod =
  'card' | 'upi' | 'netbanking' | 'wallet' | 'emi' | 'paylater' | 'cardless_emi' | 'bank_transfer';
export type UpiFlow = 'collect' | 'intent';
export type RefundStatus = 'pending' | 'processed' | 'failed';

export interface OrderRecord {
  id: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Notes;
  partialPayment: boolean;
  autoCapture: boolean;
  amountPaid: number;
  attempts: number;
  status: OrderStatus;
  createdAt: number;
}

export interface CardDetails {
  id: string;
  name: string;
  last4: string;
  network: string;
  type: 'credit' | 'debit';
  iin: string;
  emi: boolean;
}

export interface PaymentError {
  code: string;
  description: string;
  source: string;
  step: string;
  reason: string;
}

export interface PaymentRecord {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  method: PaymentMethod;
  amountRefunded: number;
  description: string | null;
  email: string;
  contact: string;
  notes: Notes;
  card: CardDetails | null;
  bank: string | null;
  wallet: string | null;
  vpa: string | null;
  upiFlow: UpiFlow | null;
  /** Cardless EMI / pay-later provider. */
  provider: string | null;
  error: PaymentError | null;
  authorizedAt: number | null;
  capturedAt: number | null;
  createdAt: number;
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  notes: Notes;
  receipt: string | null;
  speedRequested: 'normal' | 'optimum' | null;
  speedProcessed: 'normal' | 'instant';
  status: RefundStatus;
  createdAt: number;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// Razorpay (PHP) serialises empty notes as [] (razorpay.md §1.2).
const notesJson = (notes: Notes): Notes | [] => (Object.keys(notes).length ? { ...notes } : []);

export function orderJson(o: OrderRecord): Record<string, unknown> {
  return {
    id: o.id,
    entity: 'order',
    amount: o.amount,
    amount_paid: o.amountPaid,
    amount_due: o.amount - o.amountPaid,
    currency: o.currency,
    receipt: o.receipt,
    offer_id: null,
    status: o.status,
    attempts: o.attempts,
    notes: notesJson(o.notes),
    created_at: o.createdAt,
  };
}

/** Fee 2 % + 18 % GST on it, only once captured (samples show null before). */
function fees(p: PaymentRecord): { fee: number | null; tax: number | null } {
  if (p.capturedAt === null) return { fee: null, tax: null };
  const base = Math.round(p.amount * 0.02);
  const tax = Math.round(base * 0.18);
  return { fee: base + tax, tax };
}

function acquirerData(p: PaymentRecord): Record<string, string | null> {
  const ok = p.status !== 'failed' && p.status !== 'created';
  const digits = p.id.replace(/\D/g, '').padEnd(12, '7').slice(0, 12);
  const on = (v: string) => (ok ? v : null);
  switch (p.method) {
    case 'card':
    case 'emi':
      return { auth_code: on(digits.slice(0, 6)), rrn: on(digits) };
    case 'upi':
      return { rrn: on(digits), upi_transaction_id: on(`SBX${digits}`) };
    case 'netbanking':
      return { bank_transaction_id: on(digits.slice(0, 7)) };
    default:
      return { transaction_id: null };
  }
}

/**
 * Key order follows the samples. `webhook` adds what only webhook payloads show (`base_amount`,
 * `amount_transferred`, razorpay.md §2.1); `card` adds the card object (webhooks, `expand[]=card`).
 */
export function paymentJson(
  p: PaymentRecord,
  opts: { card?: boolean; webhook?: boolean } = {},
): Record<string, unknown> {
  const { fee, tax } = fees(p);
  const refundStatus =
    p.amountRefunded === 0 ? null : p.amountRefunded >= p.amount ? 'full' : 'partial';
  const out: Record<string, unknown> = {
    id: p.id,
    entity: 'payment',
    amount: p.amount,
    currency: p.currency,
  };
  if (opts.webhook) out.base_amount = p.amount; // INR only here, so base = amount
  Object.assign(out, {
    status: p.status,
    order_id: p.orderId,
    invoice_id: null,
    international: false,
    method: p.method,
    amount_refunded: p.amountRefunded,
  });
  if (opts.webhook) out.amount_transferred = 0;
  Object.assign(out, {
    refund_status: refundStatus,
    captured: p.capturedAt !== null,
    description: p.description,
    card_id: p.card?.id ?? null,
  });
  if (opts.card && p.card) {
    out.card = {
      id: p.card.id,
      entity: 'card',
      name: p.card.name,
      last4: p.card.last4,
      network: p.card.network,
      type: p.card.type,
      issuer: null,
      international: false,
      emi: p.card.emi,
      sub_type: 'consumer',
      iin: p.card.iin,
      token_iin: null,
    };
  }
  Object.assign(out, {
    bank: p.bank,
    wallet: p.wallet,
    vpa: p.vpa,
    email: p.email,
    contact: p.contact,
    // Guest checkout: no saved customer or token.
    customer_id: null,
    token_id: null,
    notes: notesJson(p.notes),
    fee,
    tax,
    error_code: p.error?.code ?? null,
    error_description: p.error?.description ?? null,
    error_source: p.error?.source ?? null,
    error_step: p.error?.step ?? null,
    error_reason: p.error?.reason ?? null,
    acquirer_data: acquirerData(p),
    created_at: p.createdAt,
    provider: p.provider,
  });
  if (p.method === 'upi') {
    out.upi = { payer_account_type: 'bank_account', vpa: p.vpa, flow: p.upiFlow ?? 'collect' };
  }
  out.reward = null;
  return out;
}

export function refundJson(r: RefundRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    entity: 'refund',
    amount: r.amount,
    currency: r.currency,
    payment_id: r.paymentId,
    notes: notesJson(r.notes),
    receipt: r.receipt,
    acquirer_data: { arn: r.status === 'processed' ? '10000000000000' : null },
    created_at: r.createdAt,
    batch_id: null,
    status: r.status,
  };
  // Present "only if the speed parameter is set in the refund request" (razorpay.md §2.6).
  if (r.speedRequested) {
    out.speed_processed = r.speedProcessed;
    out.speed_requested = r.speedRequested;
  }
  return out;
}

export const collection = (items: unknown[]): Record<string, unknown> => ({
  entity: 'collection',
  count: items.length,
  items,
});
