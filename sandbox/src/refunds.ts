import { createHash } from 'node:crypto';
import { nowSeconds, type PaymentRecord, type RefundRecord } from './entities';
import { badState, notExist, RazorpayError, validation } from './errors';
import { checkId, newId } from './ids';
import { getPayment, type Emit } from './payments';
import type { SandboxState } from './state';
import { integerField, notesField, pageParams, rejectExtraFields } from './validate';

export function getRefund(state: SandboxState, id: string): RefundRecord {
  const refund = state.refunds.get(checkId(id, 'rfnd'));
  if (!refund) throw notExist();
  return refund;
}

export function listRefunds(
  state: SandboxState,
  paymentId: string | null,
  query: Record<string, unknown>,
): RefundRecord[] {
  const { count, skip } = pageParams(query);
  const all = paymentId
    ? state.refundsOf(getPayment(state, paymentId).id)
    : [...state.refunds.values()];
  return all.reverse().slice(skip, skip + count);
}

const conflict = (description: string) => new RazorpayError(409, { description });

/** `X-Refund-Idempotency` checks (razorpay.md §9): ≥ 10 chars of [A-Za-z0-9_-]. */
function checkIdempotencyKey(key: string): void {
  if (key.length < 10) {
    throw validation('The idempotency key must be at least 10 characters long.');
  }
  // Exact production wording UNCONFIRMED.
  if (!/^[A-Za-z0-9_-]+$/.test(key)) {
    throw validation('The idempotency key may only contain letters, digits, "_" and "-".');
  }
}

function fingerprint(paymentId: string, body: Record<string, unknown>): string {
  const sorted = JSON.stringify(body, Object.keys(body).sort());
  return createHash('sha256').update(`${paymentId}\n${sorted}`).digest('hex');
}

export interface RefundRequest {
  paymentId: string;
  body: Record<string, unknown>;
  idempotencyKey?: string;
}

/** How a new refund starts: the engine decides from its settings, faults and PRNG. */
export type RefundPlan = (speed: RefundRecord['speedRequested']) => {
  status: RefundRecord['status'];
  speedProcessed: RefundRecord['speedProcessed'];
};

/** Returns the refund and whether it is a replay of an earlier idempotent request. */
export function createRefund(
  state: SandboxState,
  req: RefundRequest,
  plan: RefundPlan,
  emit: Emit,
): { refund: RefundRecord; replayed: boolean } {
  const payment = getPayment(state, req.paymentId);
  if (req.idempotencyKey !== undefined) {
    checkIdempotencyKey(req.idempotencyKey);
    const seen = state.refundKeys.get(req.idempotencyKey);
    if (seen) {
      if (seen.fingerprint !== fingerprint(payment.id, req.body)) {
        throw conflict(
          'Different request with the same idempotency key has already been processed.',
        );
      }
      return { refund: state.refunds.get(seen.refundId) as RefundRecord, replayed: true };
    }
  }
  rejectExtraFields(req.body, ['amount', 'speed', 'notes', 'receipt']);
  const left = payment.amount - payment.amountRefunded;
  const amount = integerField(req.body.amount, 'amount', false) ?? left;
  const speed = req.body.speed;
  if (speed !== undefined && speed !== 'normal' && speed !== 'optimum') {
    throw validation('The selected speed is invalid.', 'speed');
  }
  const notes = notesField(req.body.notes, state.settings);
  if (
    req.body.receipt !== undefined &&
    req.body.receipt !== null &&
    typeof req.body.receipt !== 'string'
  ) {
    throw validation('The receipt must be a string.', 'receipt');
  }
  if (payment.status === 'refunded' || left <= 0) {
    throw badState('The payment has been fully refunded already.');
  }
  if (payment.status !== 'captured') {
    throw badState('The payment status should be captured for action to be taken');
  }
  if (amount < 100) throw validation('The amount must be at least INR 1.00', 'amount');
  if (amount > payment.amount) {
    throw validation('The refund amount provided is greater than amount captured.', 'amount');
  }
  if (amount > left) {
    throw validation('The refund amount provided is greater than the unrefunded amount', 'amount');
  }
  const speedRequested = (speed as RefundRecord['speedRequested']) ?? null;
  const refund = openRefund(state, payment, amount, {
    notes,
    receipt: (req.body.receipt as string | undefined) ?? null,
    speedRequested,
    ...plan(speedRequested),
  });
  if (req.idempotencyKey !== undefined) {
    state.refundKeys.set(req.idempotencyKey, {
      fingerprint: fingerprint(payment.id, req.body),
      refundId: refund.id,
    });
  }
  emit('refund.created', { payment, refund });
  if (refund.status === 'processed') emit('refund.processed', { payment, refund });
  return { refund, replayed: false };
}

/** Records a refund and takes its amount off the payment's refundable balance at once. */
export function openRefund(
  state: SandboxState,
  payment: PaymentRecord,
  amount: number,
  init: Pick<RefundRecord, 'notes' | 'receipt' | 'speedRequested' | 'status' | 'speedProcessed'>,
): RefundRecord {
  const refund: RefundRecord = {
    id: newId('rfnd'),
    paymentId: payment.id,
    amount,
    currency: payment.currency,
    ...init,
    createdAt: nowSeconds(),
  };
  state.refunds.set(refund.id, refund);
  applyRefunded(payment, amount);
  return refund;
}

function applyRefunded(payment: PaymentRecord, delta: number): void {
  payment.amountRefunded += delta;
  // "refunded" only once the whole amount is back (razorpay.md §2.2).
  const back = payment.capturedAt === null ? 'authorized' : 'captured';
  payment.status = payment.amountRefunded >= payment.amount ? 'refunded' : back;
}

/** pending → processed; an optimum refund that fell back to normal says so first. */
export function processRefund(
  state: SandboxState,
  refund: RefundRecord,
  speedChanged: boolean,
  emit: Emit,
): void {
  if (refund.status !== 'pending') return;
  const payment = state.payments.get(refund.paymentId) as PaymentRecord;
  refund.status = 'processed';
  if (speedChanged) {
    refund.speedProcessed = 'normal';
    emit('refund.speed_changed', { payment, refund });
  }
  emit('refund.processed', { payment, refund });
}

/** A failed refund gives the amount back to the payment's refundable balance. */
export function failRefund(state: SandboxState, refund: RefundRecord, emit: Emit): void {
  if (refund.status !== 'pending') return;
  const payment = state.payments.get(refund.paymentId) as PaymentRecord;
  refund.status = 'failed';
  applyRefunded(payment, -refund.amount);
  emit('refund.failed', { payment, refund });
}
