import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { WEBHOOK_SECRET } from '../api';
import {
  checkInstant,
  checkSettled,
  listShopOrders,
  sandboxEvents,
  type ShopOrder,
} from './invariants';
import {
  CUSTOMER_CONTACT,
  CUSTOMER_NAME,
  nextId,
  type PaymentKind,
  type SequenceModel,
  type SequenceWorld,
} from './model';
import { RAZORPAY_TIMEOUT_MS } from './stack';
import type { Features } from './features';

type Cmd = fc.AsyncCommand<SequenceModel, SequenceWorld>;

/** Starts `actions` in the order the fast-check scheduler picks; they then run concurrently. */
async function race<T>(s: fc.Scheduler, labels: string[], actions: (() => Promise<T>)[]) {
  const started = actions.map((action, i) =>
    s.schedule(Promise.resolve(), labels[i]).then(() => action()),
  );
  await s.waitIdle();
  return Promise.all(started);
}

class UnexpectedAnswer extends Error {
  constructor(what: string, res: Response) {
    super(`${what}: unexpected ${res.status} ${JSON.stringify(res.body)}`);
    this.name = 'UnexpectedAnswer';
  }
}

const asAdmin = (w: SequenceWorld, method: 'get' | 'post', path: string) =>
  w.stack.http()[method](path).set('Authorization', `Bearer ${w.admin}`);

async function adminOrder(w: SequenceWorld, id: string): Promise<ShopOrder> {
  const res = await asAdmin(w, 'get', `/api/admin/orders/${id}`);
  if (res.status !== 200) throw new UnexpectedAnswer('admin order', res);
  return res.body as ShopOrder;
}

async function fault(w: SequenceWorld, body: Record<string, unknown>): Promise<void> {
  const res = await w.stack.sandbox('post', '/_sandbox/faults').send(body);
  if (res.status !== 201) throw new UnexpectedAnswer(`arming ${JSON.stringify(body)}`, res);
}

/**
 * Picks the `index`-th order among those whose shop status is in `prefer` (so a refund mostly
 * meets a paid order and a payment a pending one), or among all orders when none is.
 */
async function pickOrder(
  w: SequenceWorld,
  m: SequenceModel,
  index: number,
  prefer: string[],
): Promise<number> {
  const statuses = new Map(
    (await listShopOrders(w)).map((o) => [o.id, (o as { status?: string }).status ?? '']),
  );
  const preferred = m.orders
    .map((o, i) => (prefer.includes(statuses.get(o.id) ?? '') ? i : -1))
    .filter((i) => i >= 0);
  return preferred.length > 0 ? preferred[index % preferred.length] : index % m.orders.length;
}

/** Every command ends the same way: instant invariants, settle, then all five. */
abstract class SettledCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: SequenceModel, w: SequenceWorld): Promise<void> {
    w.trace.push(`> ${this.toString()}`);
    await this.act(m, w);
    // Faults not used up must not hit the checks' own reads (or a later command).
    await w.stack.sandbox('delete', '/_sandbox/faults');
    await checkInstant(w, m);
    await checkSettled(w, m);
  }
  protected abstract act(m: SequenceModel, w: SequenceWorld): Promise<void>;
  abstract toString(): string;
}

// ---------------------------------------------------------------------------------------------
// Place an order (1–3 lines; guest or signed in; with or without Idempotency-Key; repeated).

export class PlaceOrder extends SettledCommand {
  constructor(
    readonly lines: { product: number; quantity: number }[],
    readonly signedIn: boolean,
    readonly key: 'none' | 'fresh' | 'repeat-last',
    readonly copies: number,
    readonly s: fc.Scheduler,
  ) {
    super();
  }

  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    let body: object = {
      items: this.lines.map((l) => ({
        productId: m.products[l.product % m.products.length].id,
        quantity: l.quantity,
      })),
      customer: { name: CUSTOMER_NAME, email: w.email, contact: CUSTOMER_CONTACT },
    };
    let signedIn = this.signedIn;
    let key: string | undefined;
    if (this.key === 'repeat-last' && m.lastOrderKey) {
      ({ key, body, byUser: signedIn } = m.lastOrderKey);
    } else if (this.key !== 'none') {
      key = nextId(m, 'order-key');
      m.lastOrderKey = { key, body, byUser: signedIn };
    }
    const post = () => {
      const req = w.stack.http().post('/api/orders').send(body);
      if (key) void req.set('Idempotency-Key', key);
      if (signedIn) void req.set('Authorization', `Bearer ${w.user.token}`);
      return req.then((r) => r);
    };
    const answers = await race(
      this.s,
      Array.from({ length: this.copies }, (_, i) => `place#${i + 1}`),
      Array.from({ length: this.copies }, () => post),
    );
    const created = new Set<string>();
    for (const res of answers) {
      if (res.status === 201) {
        const o = res.body as {
          id: string;
          accessToken: string;
          razorpayOrderId: string;
          amount: number;
        };
        created.add(o.id);
        if (!m.orders.some((x) => x.id === o.id))
          m.orders.push({
            id: o.id,
            accessToken: o.accessToken,
            razorpayOrderId: o.razorpayOrderId,
            amount: o.amount,
            byUser: signedIn,
          });
        continue;
      }
      const code = (res.body as { code?: string }).code;
      // Out of stock, or the same key still being created by a concurrent copy.
      if (res.status === 409 && (code === 'OUT_OF_STOCK' || code === 'IDEMPOTENCY_CONFLICT'))
        continue;
      throw new UnexpectedAnswer('POST /api/orders', res);
    }
    w.trace.push(
      `  orders: ${[...created].join(', ') || 'none'} (${answers.map((a) => a.status).join(',')})`,
    );
    if (key && created.size > 1)
      throw new Error(
        `one Idempotency-Key ${key} created ${created.size} orders: ${[...created].join(', ')}`,
      );
  }

  toString(): string {
    const lines = this.lines.map((l) => `p${l.product}×${l.quantity}`).join('+');
    return `PlaceOrder(${lines}, ${this.signedIn ? 'user' : 'guest'}, key=${this.key}, copies=${this.copies}${
      this.copies > 1
        ? `, ${this.s
            .report()
            .map((r) => r.label)
            .join('→')}`
        : ''
    })`;
  }
}

// ---------------------------------------------------------------------------------------------
// Pay (success / failure / late authorisation / left pending), with webhook faults, and the
// checkout's verify racing the webhooks (Razorpay up, slow or down).

export type WebhookFault = 'none' | 'duplicate' | 'reorder' | 'drop' | 'delay';
export type VerifyMode = 'none' | 'up' | 'slow' | 'down-5xx' | 'down-429' | 'down-timeout';

async function armVerifyFault(w: SequenceWorld, paymentId: string, mode: VerifyMode) {
  const match = `/v1/payments/${paymentId}`;
  if (mode === 'slow') await fault(w, { target: 'api', type: 'latency', delayMs: 300, match });
  if (mode === 'down-5xx')
    await fault(w, { target: 'api', type: 'error', status: 503, count: 6, match });
  if (mode === 'down-429') await fault(w, { target: 'api', type: 'rate_limit', count: 6, match });
  if (mode === 'down-timeout') await fault(w, { target: 'api', type: 'hang', count: 2, match });
}

async function verify(w: SequenceWorld, m: SequenceModel, paymentIndex: number, mode: VerifyMode) {
  const p = m.payments[paymentIndex];
  const order = m.orders[p.orderIndex];
  if (!p.signature) return;
  await armVerifyFault(w, p.paymentId, mode);
  const started = Date.now();
  const res = await w.stack.http().post('/api/payments/verify').send({
    razorpay_order_id: order.razorpayOrderId,
    razorpay_payment_id: p.paymentId,
    razorpay_signature: p.signature,
  });
  const took = Date.now() - started;
  const body = res.body as { status?: string; paymentState?: string; code?: string };
  w.trace.push(
    `  verify ${p.paymentId} (${mode}): ${res.status} ${body.status ?? body.code} ${body.paymentState ?? ''} in ${took} ms`,
  );
  // A valid signature gets 200 (paid, or pending while confirming) or a 4xx refusal; never a 5xx.
  if (res.status >= 500) throw new UnexpectedAnswer(`verify (${mode})`, res);
  if (res.status !== 200 && res.status !== 400 && res.status !== 409)
    throw new UnexpectedAnswer(`verify (${mode})`, res);
  // The shop has seen a valid checkout signature: the shopper must at least see "confirming".
  if (res.status === 200 && body.status === 'pending' && body.paymentState === 'awaiting_payment')
    throw new Error(
      `verify (${mode}) of ${p.paymentId} answered pending/awaiting_payment for a valid signature ` +
        `(expected confirming, failed or settled)`,
    );
}

export class Pay extends SettledCommand {
  constructor(
    readonly order: number,
    readonly outcome: PaymentKind,
    readonly webhookFault: WebhookFault,
    readonly faultCount: number,
    readonly verifyMode: VerifyMode,
    readonly lateDelayMs: number,
  ) {
    super();
  }

  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    if (m.orders.length === 0) return;
    const orderIndex = await pickOrder(w, m, this.order, ['pending', 'expired']);
    const order = m.orders[orderIndex];
    if (this.webhookFault !== 'none')
      await fault(w, {
        target: 'webhooks',
        type: this.webhookFault,
        count: this.webhookFault === 'reorder' ? Math.max(2, this.faultCount) : this.faultCount,
        ...(this.webhookFault === 'delay' ? { delayMs: 150 } : {}),
      });
    if (this.outcome === 'late') {
      await fault(w, {
        target: 'webhooks',
        type: 'late_authorization',
        match: order.razorpayOrderId,
        delayMs: this.lateDelayMs,
      });
      m.waitUntil = Math.max(m.waitUntil, Date.now() + this.lateDelayMs + 100);
    }
    const outcome = this.outcome === 'late' ? 'success' : this.outcome;
    const res = await w.stack
      .sandbox('post', '/_sandbox/payments')
      .send({ order_id: order.razorpayOrderId, outcome });
    const body = res.body as {
      razorpay_payment_id?: string;
      razorpay_signature?: string;
      error?: { code: string; description: string; metadata?: { payment_id?: string } };
    };
    if (res.status === 400) {
      // Razorpay refuses a payment on a paid order or one with an authorised payment.
      w.trace.push(`  sandbox refused: ${body.error?.description}`);
      return;
    }
    if (res.status !== 200) throw new UnexpectedAnswer('sandbox pay', res);
    const paymentId = body.razorpay_payment_id ?? body.error?.metadata?.payment_id;
    if (!paymentId) throw new UnexpectedAnswer('sandbox pay without a payment id', res);
    m.payments.push({
      orderIndex,
      paymentId,
      kind: this.outcome,
      signature: body.razorpay_signature ?? null,
      completed: false,
    });
    w.trace.push(`  payment ${paymentId} (${this.outcome}) on ${order.id}`);
    if (this.verifyMode !== 'none' && body.razorpay_signature)
      await verify(w, m, m.payments.length - 1, this.verifyMode);
  }

  toString(): string {
    const faults =
      this.webhookFault === 'none' ? '' : `, webhooks ${this.webhookFault}×${this.faultCount}`;
    const late = this.outcome === 'late' ? ` after ${this.lateDelayMs} ms` : '';
    return `Pay(order ${this.order}, ${this.outcome}${late}${faults}, verify ${this.verifyMode})`;
  }
}

/** Verify again later (the storefront retries; a stale tab; after a restart). */
export class Verify extends SettledCommand {
  constructor(
    readonly payment: number,
    readonly mode: VerifyMode,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    const signed = m.payments.map((p, i) => (p.signature ? i : -1)).filter((i) => i >= 0);
    if (signed.length === 0) return;
    await verify(
      w,
      m,
      signed[this.payment % signed.length],
      this.mode === 'none' ? 'up' : this.mode,
    );
  }
  toString(): string {
    return `Verify(payment ${this.payment}, ${this.mode})`;
  }
}

/** A payment left in `created` (UPI collect, 3-D Secure) completes. */
export class CompletePending extends SettledCommand {
  constructor(
    readonly payment: number,
    readonly outcome: 'success' | 'failure',
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    const open = m.payments.filter((p) => p.kind === 'pending' && !p.completed);
    if (open.length === 0) return;
    const p = open[this.payment % open.length];
    const res = await w.stack
      .sandbox('post', `/_sandbox/payments/${p.paymentId}/complete`)
      .send({ outcome: this.outcome });
    w.trace.push(`  complete ${p.paymentId} ${this.outcome}: ${res.status}`);
    if (res.status >= 500) throw new UnexpectedAnswer('sandbox complete', res);
    p.completed = true;
    const body = res.body as { razorpay_signature?: string };
    if (res.status === 200 && body.razorpay_signature) p.signature = body.razorpay_signature;
  }
  toString(): string {
    return `CompletePending(payment ${this.payment}, ${this.outcome})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Deliver a stored webhook again: Razorpay's resend, copies posted at once (signed with the
// webhook secret, same event id), or both; concurrent with each other.

export class Redeliver extends SettledCommand {
  constructor(
    readonly order: number,
    readonly event: number,
    readonly mode: 'resend' | 'copies' | 'resend+copies',
    readonly copies: number,
    readonly s: fc.Scheduler,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    if (m.orders.length === 0) return;
    const order = m.orders[this.order % m.orders.length];
    const events = await sandboxEvents(w, [order.razorpayOrderId]);
    if (events.length === 0) return;
    const ev = events[this.event % events.length];
    const body = JSON.stringify(ev.payload);
    const signature = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
    const post = () =>
      w.stack
        .http()
        .post('/api/webhooks/razorpay')
        .set('Content-Type', 'application/json')
        .set('X-Razorpay-Event-Id', ev.id)
        .set('X-Razorpay-Signature', signature)
        .send(body)
        .then((r) => r);
    const resend = () =>
      w.stack
        .sandbox('post', `/_sandbox/events/${ev.id}/resend`)
        .send({})
        .then((r) => r);
    const actions: (() => Promise<Response>)[] = [];
    const labels: string[] = [];
    if (this.mode !== 'copies') {
      actions.push(resend);
      labels.push('resend');
    }
    if (this.mode !== 'resend')
      for (let i = 0; i < this.copies; i++) {
        actions.push(post);
        labels.push(`copy#${i + 1}`);
      }
    const answers = await race(this.s, labels, actions);
    w.trace.push(
      `  ${ev.id} ${ev.event}: ${answers.map((a, i) => `${labels[i]}→${a.status}`).join(' ')}`,
    );
    answers.forEach((res, i) => {
      const ok = labels[i] === 'resend' ? res.status === 202 : [200, 409, 503].includes(res.status);
      if (!ok) throw new UnexpectedAnswer(`webhook ${labels[i]}`, res);
    });
  }
  toString(): string {
    return `Redeliver(order ${this.order}, event ${this.event}, ${this.mode}${this.mode !== 'resend' ? `×${this.copies}` : ''}, ${this.s
      .report()
      .map((r) => r.label)
      .join('→')})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reconciler, now or after expiry (several instances at once).

interface Reconciler {
  runOnce(now?: Date): Promise<unknown>;
}

export class Reconcile extends SettledCommand {
  constructor(
    readonly pastExpiry: boolean,
    readonly instances: number,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    const reconciler = w.stack.get<Reconciler>('ReconcilerService');
    const now = this.pastExpiry ? new Date(Date.now() + 31 * 60_000) : undefined;
    const runs = await Promise.all(
      Array.from({ length: this.instances }, () => reconciler.runOnce(now)),
    );
    w.trace.push(`  reconciler: ${JSON.stringify(runs)}`);
  }
  toString(): string {
    return `Reconcile(${this.pastExpiry ? 'past expiry' : 'now'}, ×${this.instances})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Refunds: full or partial, Razorpay timing out or failing, retried with the same key.

export type RefundFault = 'none' | 'timeout' | 'commit_then_drop' | 'commit_then_error' | 'error';

async function postRefund(w: SequenceWorld, orderId: string, key: string, amount?: number) {
  return asAdmin(w, 'post', `/api/admin/orders/${orderId}/refunds`)
    .set('Idempotency-Key', key)
    .send(amount === undefined ? {} : { amount })
    .then((r) => r);
}

function outcomeOf(res: Response, what: string): 'done' | 'uncertain' | 'rejected' {
  if (res.status >= 200 && res.status < 300) {
    // The shop may say what became of the request (an intent: open, done or rejected).
    const intent = (res.body as { refundRequest?: { status?: string } }).refundRequest;
    if (intent?.status === 'open') return 'uncertain';
    if (intent?.status === 'rejected') return 'rejected';
    return 'done';
  }
  if ([502, 503, 504].includes(res.status)) return 'uncertain';
  if (res.status === 400 || res.status === 409) return 'rejected';
  throw new UnexpectedAnswer(what, res);
}

/** A refund call held longer than the shop waits (RAZORPAY_TIMEOUT_MS): it times out, then lands. */
const HELD_REFUND_MS = RAZORPAY_TIMEOUT_MS + 1000;

export class Refund extends SettledCommand {
  constructor(
    readonly order: number,
    readonly percent: number | 'full',
    readonly fault: RefundFault,
    readonly refundFails: boolean,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    if (m.orders.length === 0) return;
    const orderIndex = await pickOrder(w, m, this.order, ['paid', 'partially_refunded']);
    const current = await adminOrder(w, m.orders[orderIndex].id);
    const remaining = current.amount - current.amountRefunded;
    const requested =
      this.percent === 'full'
        ? undefined
        : Math.max(100, Math.floor((remaining * this.percent) / 100));
    const key = nextId(m, 'refund-key');
    const match = '/refund';
    if (this.fault === 'timeout')
      await fault(w, {
        target: 'api',
        type: 'latency',
        delayMs: HELD_REFUND_MS,
        match,
      });
    if (this.fault === 'commit_then_drop' || this.fault === 'commit_then_error')
      await fault(w, { target: 'api', type: this.fault, match });
    if (this.fault === 'error')
      await fault(w, { target: 'api', type: 'error', status: 503, count: 3, match });
    if (this.refundFails) await fault(w, { target: 'webhooks', type: 'refund_failed' });
    const res = await postRefund(w, current.id, key, requested);
    // The held request reached the sandbox before the shop gave up, so it lands within a delay
    // from now (a seed-2077236785 run observed the shop between Razorpay's refund and its webhook).
    if (this.fault === 'timeout')
      m.heldRequestsLandBy = Math.max(m.heldRequestsLandBy, Date.now() + HELD_REFUND_MS + 100);
    const outcome = outcomeOf(res, 'refund');
    const intent = (res.body as { refundRequest?: { amount?: number } }).refundRequest;
    m.refunds.push({
      orderIndex,
      key,
      requested,
      amount: intent?.amount ?? requested ?? remaining,
      amountIsBound: intent?.amount === undefined && requested === undefined,
      outcome,
      mayFail: this.refundFails,
    });
    w.trace.push(
      `  refund ${key} of ${requested ?? `rest (${remaining})`} on ${current.id} (${current.status}): ${res.status} → ${outcome}`,
    );
  }
  toString(): string {
    return `Refund(order ${this.order}, ${this.percent === 'full' ? 'full' : `${this.percent}%`}, Razorpay ${this.fault}${this.refundFails ? ', refund fails' : ''})`;
  }
}

/** The operator retries a refund with the same Idempotency-Key (several clicks at once). */
export class RetryRefund extends SettledCommand {
  constructor(
    readonly refund: number,
    readonly copies: number,
    readonly s: fc.Scheduler,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    const open = m.refunds.filter((r) => r.outcome === 'uncertain');
    const asks = open.length > 0 ? open : m.refunds.filter((r) => r.outcome !== 'rejected');
    if (asks.length === 0) return;
    const ask = asks[this.refund % asks.length];
    const orderId = m.orders[ask.orderIndex].id;
    const answers = await race(
      this.s,
      Array.from({ length: this.copies }, (_, i) => `retry#${i + 1}`),
      Array.from(
        { length: this.copies },
        () => () => postRefund(w, orderId, ask.key, ask.requested),
      ),
    );
    const outcomes = answers.map((res) => outcomeOf(res, 'refund retry'));
    w.trace.push(`  retry ${ask.key}: ${answers.map((a) => a.status).join(',')}`);
    // Once the shop answers 2xx for the key, the refund is known to exist (exactly once), and
    // its amount with it.
    if (outcomes.includes('done')) ask.outcome = 'done';
    for (const res of answers) {
      const amount = (res.body as { refundRequest?: { amount?: number } }).refundRequest?.amount;
      if (res.status >= 200 && res.status < 300 && amount !== undefined) {
        ask.amount = amount;
        ask.amountIsBound = false;
      }
    }
  }
  toString(): string {
    return `RetryRefund(refund ${this.refund}, ×${this.copies}${
      this.copies > 1
        ? `, ${this.s
            .report()
            .map((r) => r.label)
            .join('→')}`
        : ''
    })`;
  }
}

// ---------------------------------------------------------------------------------------------
// Stock adjustments (atomic deltas), several at once.

export class AdjustStock extends SettledCommand {
  constructor(
    readonly product: number,
    readonly deltas: number[],
    readonly s: fc.Scheduler,
  ) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    const product = m.products[this.product % m.products.length];
    const answers = await race(
      this.s,
      this.deltas.map((d) => `${d >= 0 ? '+' : ''}${d}`),
      this.deltas.map(
        (delta) => () =>
          asAdmin(w, 'post', `/api/products/${product.id}/stock-adjustments`)
            .send({ delta, reason: `property ${m.runId}` })
            .then((r) => r),
      ),
    );
    answers.forEach((res, i) => {
      if (res.status >= 200 && res.status < 300) product.adjustments += this.deltas[i];
      else if (res.status !== 409) throw new UnexpectedAnswer('stock adjustment', res);
    });
    w.trace.push(
      `  stock ${product.id}: ${answers.map((a, i) => `${this.deltas[i]}→${a.status}`).join(' ')}`,
    );
  }
  toString(): string {
    return `AdjustStock(p${this.product}, ${this.deltas.join(',')}${
      this.deltas.length > 1
        ? `, ${this.s
            .report()
            .map((r) => r.label)
            .join('→')}`
        : ''
    })`;
  }
}

// ---------------------------------------------------------------------------------------------
// Restart the shop on the same database, optionally with a payment's webhooks in flight.

export class Restart extends SettledCommand {
  constructor(readonly payInFlight: number | null) {
    super();
  }
  protected async act(m: SequenceModel, w: SequenceWorld): Promise<void> {
    if (this.payInFlight !== null && m.orders.length > 0) {
      const orderIndex = this.payInFlight % m.orders.length;
      const order = m.orders[orderIndex];
      const res = await w.stack
        .sandbox('post', '/_sandbox/payments')
        .send({ order_id: order.razorpayOrderId, outcome: 'success' });
      const body = res.body as { razorpay_payment_id?: string; razorpay_signature?: string };
      if (res.status === 200 && body.razorpay_payment_id)
        m.payments.push({
          orderIndex,
          paymentId: body.razorpay_payment_id,
          kind: 'success',
          signature: body.razorpay_signature ?? null,
          completed: false,
        });
    }
    await w.stack.restart();
    w.trace.push(`  restarted (${w.stack.restarts}) at ${w.stack.origin}`);
  }
  toString(): string {
    return `Restart(${this.payInFlight === null ? 'idle' : `payment on order ${this.payInFlight} in flight`})`;
  }
}

// ---------------------------------------------------------------------------------------------

/** Placing an order: also the prefix of every sequence, so the other commands have targets. */
export function placeOrderArbitrary(): fc.Arbitrary<Cmd> {
  return fc
    .tuple(
      fc.array(
        fc.record({ product: fc.nat({ max: 2 }), quantity: fc.integer({ min: 1, max: 3 }) }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      fc.boolean(),
      fc.constantFrom('none', 'fresh', 'repeat-last') as fc.Arbitrary<
        'none' | 'fresh' | 'repeat-last'
      >,
      fc.integer({ min: 1, max: 3 }),
      fc.scheduler(),
    )
    .map(([lines, signedIn, key, copies, s]) => new PlaceOrder(lines, signedIn, key, copies, s));
}

/** The generated command set; commands whose controls are missing are left out. */
export function commandArbitraries(features: Features): {
  arbitraries: fc.Arbitrary<Cmd>[];
  leftOut: string[];
} {
  const leftOut: string[] = [];
  const index = fc.nat({ max: 20 });
  const outcomes: PaymentKind[] = ['success', 'success', 'failure', 'late'];
  if (features.pendingPayments) outcomes.push('pending');
  else leftOut.push('Pay(pending) and CompletePending: no pending payments in the sandbox');
  const verifyModes: VerifyMode[] = ['none', 'up', 'slow', 'down-5xx', 'down-429', 'down-timeout'];
  const refundFaults: RefundFault[] = ['none', 'timeout', 'timeout', 'error'];
  if (features.commitThenDrop) refundFaults.push('commit_then_drop');
  else leftOut.push('Refund(commit_then_drop): fault missing, timeouts use latency');
  if (features.commitThenError) refundFaults.push('commit_then_error');
  else leftOut.push('Refund(commit_then_error): fault missing');

  const placeOrder = placeOrderArbitrary();
  const pay: fc.Arbitrary<Cmd> = fc
    .tuple(
      index,
      fc.constantFrom(...outcomes),
      fc.constantFrom(
        'none',
        'none',
        'duplicate',
        'reorder',
        'drop',
        'delay',
      ) as fc.Arbitrary<WebhookFault>,
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(...verifyModes),
      fc.integer({ min: 50, max: 400 }),
    )
    .map(([o, outcome, wf, n, vm, late]) => new Pay(o, outcome, wf, n, vm, late));
  const refund: fc.Arbitrary<Cmd> = fc
    .tuple(
      index,
      fc.oneof(fc.constant('full' as const), fc.integer({ min: 10, max: 90 })),
      fc.constantFrom(...refundFaults),
      fc.boolean(),
    )
    .map(([o, pct, f, fails]) => new Refund(o, pct, f, fails));
  const weighted: fc.WeightedArbitrary<Cmd>[] = [
    { weight: 2, arbitrary: placeOrder },
    { weight: 5, arbitrary: pay },
    {
      weight: 2,
      arbitrary: fc
        .tuple(index, fc.constantFrom(...verifyModes.filter((v) => v !== 'none')))
        .map(([p, mode]) => new Verify(p, mode)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          index,
          index,
          fc.constantFrom('resend', 'copies', 'resend+copies') as fc.Arbitrary<
            'resend' | 'copies' | 'resend+copies'
          >,
          fc.integer({ min: 2, max: 4 }),
          fc.scheduler(),
        )
        .map(([o, e, mode, copies, s]) => new Redeliver(o, e, mode, copies, s)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.boolean(), fc.integer({ min: 1, max: 2 }))
        .map(([past, n]) => new Reconcile(past, n)),
    },
    { weight: 4, arbitrary: refund },
    {
      weight: 3,
      arbitrary: fc
        .tuple(index, fc.integer({ min: 1, max: 3 }), fc.scheduler())
        .map(([r, n, s]) => new RetryRefund(r, n, s)),
    },
    { weight: 1, arbitrary: fc.option(index, { nil: null }).map((o) => new Restart(o)) },
  ];
  if (features.pendingPayments)
    weighted.push({
      weight: 1,
      arbitrary: fc
        .tuple(index, fc.constantFrom('success', 'failure') as fc.Arbitrary<'success' | 'failure'>)
        .map(([p, outcome]) => new CompletePending(p, outcome)),
    });
  if (features.stockAdjustments)
    weighted.push({
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.nat({ max: 2 }),
          fc.array(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: -4, max: -1 })), {
            minLength: 1,
            maxLength: 3,
          }),
          fc.scheduler(),
        )
        .map(([p, deltas, s]) => new AdjustStock(p, deltas, s)),
    });
  else leftOut.push('AdjustStock: POST /api/products/:id/stock-adjustments missing');
  // One weighted choice: payments and refunds come up more often than restarts.
  const arbitraries = [fc.oneof(...weighted)];
  return { arbitraries, leftOut };
}
