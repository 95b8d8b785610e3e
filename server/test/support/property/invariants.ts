import type { RefundAsk, SequenceModel, SequenceWorld } from './model';

/** The shop's admin view of an order (GET /api/admin/orders/:id), as far as the checks read it. */
export interface ShopOrder {
  id: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  razorpayOrderId: string;
  paymentState?: string;
  items: { productId: string; quantity: number }[];
  history: { status: string; source: string; note?: string }[];
  refundRequired: boolean;
  refundRequiredPaymentId?: string | null;
  /** Present once the shop exposes them (issue 10, case 5); read if there. */
  paymentId?: string | null;
  refundRequiredPaymentIds?: string[];
  flaggedPayments?: { paymentId?: string; id?: string; refunded?: boolean }[];
  payments: { id: string; status: string; amount: number }[];
  refunds: { id: string; paymentId: string; amount: number; status: string }[];
}

export interface RazorpayPayment {
  id: string;
  amount: number;
  currency: string;
  status: string;
  order_id: string;
  captured?: boolean;
  amount_refunded?: number;
  created_at: number;
}

export interface RazorpayRefund {
  id: string;
  payment_id: string;
  amount: number;
  status: string;
}

export interface SandboxEvent {
  id: string;
  event: string;
  order_id: string | null;
  status: string;
  attempts: { status: number | null; ok: boolean; error?: string }[];
  payload: unknown;
}

export interface Observation {
  orders: ShopOrder[];
  payments: Map<string, RazorpayPayment[]>;
  refunds: Map<string, RazorpayRefund[]>;
  stock: Map<string, number>;
  purchased: Map<string, boolean>;
  myOrderIds: Set<string>;
}

export class InvariantViolation extends Error {
  constructor(readonly violations: string[]) {
    super(`invariants violated:\n  - ${violations.join('\n  - ')}`);
    this.name = 'InvariantViolation';
  }
}

const PAID_LIKE = ['paid', 'partially_refunded', 'refunded'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every order of this sequence, as the shop lists them (including any the test never saw). */
export async function listShopOrders(world: SequenceWorld): Promise<{ id: string }[]> {
  const all: { id: string }[] = [];
  for (let before = ''; ;) {
    const res = await world.stack
      .http()
      .get(`/api/admin/orders?email=${encodeURIComponent(world.email)}&limit=100${before}`)
      .set('Authorization', `Bearer ${world.admin}`);
    if (res.status !== 200) throw new Error(`admin order list: ${res.status}`);
    const body = res.body as { items: { id: string }[]; nextBefore: string | null };
    all.push(...body.items);
    if (!body.nextBefore) return all;
    before = `&before=${body.nextBefore}`;
  }
}

async function shopOrder(world: SequenceWorld, id: string): Promise<ShopOrder> {
  const res = await world.stack
    .http()
    .get(`/api/admin/orders/${id}`)
    .set('Authorization', `Bearer ${world.admin}`);
  if (res.status !== 200) throw new Error(`admin order ${id}: ${res.status}`);
  return res.body as ShopOrder;
}

const assigned = (razorpayOrderId: string) => razorpayOrderId.startsWith('order_');

export async function sandboxEvents(
  world: SequenceWorld,
  razorpayOrderIds: string[],
): Promise<SandboxEvent[]> {
  const lists = await Promise.all(
    razorpayOrderIds.filter(assigned).map(async (id) => {
      const res = await world.stack.sandbox('get', `/_sandbox/events?order_id=${id}`);
      return (res.body as { items: SandboxEvent[] }).items;
    }),
  );
  return lists.flat();
}

async function razorpayOrderIdsOf(world: SequenceWorld, model: SequenceModel) {
  const ids = new Set(model.orders.map((o) => o.razorpayOrderId));
  for (const o of await listShopOrders(world)) {
    const known = model.orders.find((m) => m.id === o.id);
    if (!known) ids.add((o as { razorpayOrderId?: string }).razorpayOrderId ?? '');
  }
  return [...ids].filter(assigned);
}

/**
 * Lets asynchronous work finish: scheduled sandbox effects (flush, or waiting for them), events
 * held by faults, and every webhook delivered (answered 2xx). An event that cannot be delivered
 * any more (failed / not_sent) or is still undelivered after the deadline is a violation: "no
 * event left undelivered".
 */
export async function settle(world: SequenceWorld, model: SequenceModel): Promise<void> {
  const { stack, features } = world;
  if (!features.flush && model.waitUntil > Date.now()) await sleep(model.waitUntil - Date.now());
  if (model.heldRequestsLandBy > Date.now()) await sleep(model.heldRequestsLandBy - Date.now());
  if (features.flush) await stack.sandbox('post', '/_sandbox/flush').send({});
  await stack.sandbox('delete', '/_sandbox/faults');
  const ids = await razorpayOrderIdsOf(world, model);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const open = (await sandboxEvents(world, ids)).filter((e) => e.status !== 'delivered');
    if (open.length === 0) return;
    const stuck = open.filter((e) => e.status === 'failed' || e.status === 'not_sent');
    if (stuck.length > 0 || Date.now() > deadline) {
      throw new InvariantViolation(
        (stuck.length ? stuck : open).map(
          (e) =>
            `event left undelivered: ${e.id} ${e.event} (${e.order_id}) is ${e.status} after ` +
            `${e.attempts.length} attempts [${e.attempts.map((a) => a.status ?? a.error).join(', ')}]`,
        ),
      );
    }
    if (features.flush) await stack.sandbox('post', '/_sandbox/flush').send({});
    await sleep(60);
  }
}

/** Reads the shop's and Razorpay's state for everything this sequence touched. */
export async function observe(
  world: SequenceWorld,
  model: SequenceModel,
  full = true,
): Promise<Observation> {
  const { stack } = world;
  const listed = await listShopOrders(world);
  const ids = new Set([...model.orders.map((o) => o.id), ...listed.map((o) => o.id)]);
  const orders = await Promise.all([...ids].map((id) => shopOrder(world, id)));
  const payments = new Map<string, RazorpayPayment[]>();
  const refunds = new Map<string, RazorpayRefund[]>();
  // The shop first, Razorpay second: Razorpay's state only moves forward (a capture is never
  // undone), so a "paid" read before it can only be confirmed, never refuted, by a later change.
  await Promise.all(
    orders
      .filter((o) => assigned(o.razorpayOrderId) && (full || PAID_LIKE.includes(o.status)))
      .map(async (o) => {
        const res = await stack.sandbox('get', `/v1/orders/${o.razorpayOrderId}/payments`);
        if (res.status !== 200)
          throw new Error(`sandbox payments of ${o.razorpayOrderId}: ${res.status}`);
        const items = (res.body as { items: RazorpayPayment[] }).items;
        payments.set(o.id, items);
        await Promise.all(
          items.filter(capturedEver).map(async (p) => {
            const r = await stack.sandbox('get', `/v1/payments/${p.id}/refunds`);
            refunds.set(p.id, (r.body as { items: RazorpayRefund[] }).items);
          }),
        );
      }),
  );
  const stock = new Map<string, number>();
  const purchased = new Map<string, boolean>();
  let myOrderIds = new Set<string>();
  if (full) {
    await Promise.all(
      model.products.map(async (p) => {
        const res = await stack
          .http()
          .get(`/api/products/${p.id}`)
          .set('Authorization', `Bearer ${world.admin}`);
        stock.set(p.id, (res.body as { stock: number }).stock);
        const bought = await stack
          .http()
          .get(`/api/me/purchases/${p.id}`)
          .set('Authorization', `Bearer ${world.user.token}`);
        if (bought.status !== 200) throw new Error(`purchase check: ${bought.status}`);
        purchased.set(p.id, (bought.body as { purchased: boolean }).purchased);
      }),
    );
    const mine = await stack
      .http()
      .get('/api/me/orders?limit=100')
      .set('Authorization', `Bearer ${world.user.token}`);
    myOrderIds = new Set((mine.body as { items: { id: string }[] }).items.map((o) => o.id));
  }
  return { orders, payments, refunds, stock, purchased, myOrderIds };
}

function capturedEver(p: RazorpayPayment): boolean {
  return p.status === 'captured' || p.status === 'refunded' || p.captured === true;
}

function refundedAtRazorpay(obs: Observation, paymentId: string): number {
  return (obs.refunds.get(paymentId) ?? [])
    .filter((r) => r.status !== 'failed')
    .reduce((sum, r) => sum + r.amount, 0);
}

/** Payments the shop holds for refund (today one field; a list once case 5 lands). */
function flaggedIds(order: ShopOrder): Set<string> {
  const ids = new Set<string>();
  if (order.refundRequired && order.refundRequiredPaymentId) ids.add(order.refundRequiredPaymentId);
  for (const id of order.refundRequiredPaymentIds ?? []) ids.add(id);
  for (const f of order.flaggedPayments ?? []) {
    const id = f.paymentId ?? f.id;
    if (id && !f.refunded) ids.add(id);
  }
  return ids;
}

/**
 * The payment that settled the order: the one the shop names, else the first captured payment of
 * the order's amount that the shop does not hold for refund.
 */
function settlingPayment(order: ShopOrder, payments: RazorpayPayment[]): RazorpayPayment | null {
  if (!PAID_LIKE.includes(order.status)) return null;
  if (order.paymentId) return payments.find((p) => p.id === order.paymentId) ?? null;
  const flagged = flaggedIds(order);
  return (
    payments
      .filter((p) => capturedEver(p) && p.amount === order.amount && !flagged.has(p.id))
      .sort((a, b) => a.created_at - b.created_at)[0] ?? null
  );
}

function subsetSums(values: number[]): Set<number> {
  let sums = new Set([0]);
  for (const v of values) sums = new Set([...sums, ...[...sums].map((s) => s + v)]);
  return sums;
}

/** The shop's smallest refund (refunds.service.ts): a bounded ask that took effect took this much at least. */
const MIN_REFUND = 100;

/**
 * Whether some of the asks that may or may not have taken effect add up to `target`: each exact
 * ask its amount, each bounded one anything from MIN_REFUND to its bound.
 */
function explainable(target: number, optional: RefundAsk[]): boolean {
  const exact = subsetSums(optional.filter((a) => !a.amountIsBound).map((a) => a.amount));
  const bounds = optional.filter((a) => a.amountIsBound).map((a) => a.amount);
  const ranges: Array<[number, number]> = [[0, 0]];
  for (const bound of bounds) {
    for (const [low, high] of [...ranges]) ranges.push([low + MIN_REFUND, high + bound]);
  }
  return [...exact].some((sum) =>
    ranges.some(([low, high]) => target - sum >= low && target - sum <= high),
  );
}

const describe = (o: ShopOrder) => `order ${o.id} (${o.status}, ${o.amount} paise)`;

/** 1. Paid (or refunded from paid) only if Razorpay has a captured payment of its amount for it. */
function paidOnlyWhenCaptured(obs: Observation): string[] {
  const out: string[] = [];
  for (const o of obs.orders.filter((x) => PAID_LIKE.includes(x.status))) {
    const payments = obs.payments.get(o.id) ?? [];
    const s = settlingPayment(o, payments);
    const seen = payments.map((p) => `${p.id}:${p.status}:${p.amount}`).join(', ') || 'none';
    if (!s)
      out.push(`[1] ${describe(o)} but Razorpay has no captured payment of its amount (${seen})`);
    else if (!capturedEver(s) || s.amount !== o.amount || s.currency !== o.currency)
      out.push(
        `[1] ${describe(o)} settled by ${s.id}, which Razorpay reports ${s.status} ${s.amount} ${s.currency}`,
      );
  }
  return out;
}

/** 2. Every captured payment is the settling one, refunded, or held for refund; one settling payment. */
function everyCaptureAccounted(obs: Observation): string[] {
  const out: string[] = [];
  for (const o of obs.orders) {
    const payments = obs.payments.get(o.id) ?? [];
    const s = settlingPayment(o, payments);
    const flagged = flaggedIds(o);
    for (const p of payments.filter(capturedEver)) {
      if (p.id === s?.id) continue;
      const refunded = refundedAtRazorpay(obs, p.id);
      if (refunded >= p.amount || flagged.has(p.id)) continue;
      out.push(
        `[2] captured payment ${p.id} (${p.amount} paise, ${refunded} refunded) of ${describe(o)} ` +
          `is neither its settling payment${s ? ` (${s.id})` : ''}, refunded, nor held for refund` +
          ` (held: ${[...flagged].join(', ') || 'none'})`,
      );
    }
    let settlings = 0;
    o.history.forEach((h, i) => {
      if (h.status === 'paid' && o.history[i - 1]?.status === 'pending') settlings++;
    });
    if (settlings > 1) out.push(`[2] ${describe(o)} was settled ${settlings} times`);
  }
  return out;
}

/** 3. Refunded at Razorpay = operators' asks (+ automatic refunds of held payments), never more. */
function refundsMatchAsks(obs: Observation, model: SequenceModel, exact: boolean): string[] {
  const out: string[] = [];
  for (const o of obs.orders) {
    const index = model.orders.findIndex((m) => m.id === o.id);
    const asks: RefundAsk[] = model.refunds.filter(
      (r) => r.orderIndex === index && r.outcome !== 'rejected',
    );
    const payments = obs.payments.get(o.id) ?? [];
    const s = settlingPayment(o, payments);
    const own = s ? refundedAtRazorpay(obs, s.id) : 0;
    const total = payments.reduce((sum, p) => sum + refundedAtRazorpay(obs, p.id), 0);
    const others = payments
      .filter((p) => capturedEver(p) && p.id !== s?.id)
      .reduce((sum, p) => sum + p.amount, 0);
    const asked = asks.reduce((sum, a) => sum + a.amount, 0);
    const keys = asks.map(
      (a) =>
        `${a.key}:${a.amountIsBound ? '≤' : ''}${a.amount}:${a.outcome}${a.mayFail ? ':may-fail' : ''}`,
    );
    if (own > asked)
      out.push(
        `[3] ${describe(o)}: ${own} paise refunded on its payment, operators asked ${asked} (${keys.join(', ') || 'none'})`,
      );
    if (total > asked + others)
      out.push(
        `[3] ${describe(o)}: ${total} paise refunded in all, more than ${asked} asked + ${others} held`,
      );
    if (!exact || !s) continue;
    const definite = asks
      .filter((a) => a.outcome === 'done' && !a.mayFail)
      .reduce((sum, a) => sum + a.amount, 0);
    const optional = asks.filter((a) => a.outcome === 'uncertain' || a.mayFail);
    if (!explainable(own - definite, optional))
      out.push(
        `[3] ${describe(o)}: ${own} paise refunded on its payment ${s.id}, which no outcome of the ` +
          `operators' requests explains (${keys.join(', ') || 'none'})`,
      );
  }
  return out;
}

/** 4. initial + adjustments = available + held by pending orders + sold. */
function stockConserved(obs: Observation, model: SequenceModel): string[] {
  const out: string[] = [];
  for (const p of model.products) {
    let held = 0;
    let sold = 0;
    for (const o of obs.orders) {
      const qty = o.items.filter((i) => i.productId === p.id).reduce((n, i) => n + i.quantity, 0);
      if (o.status === 'pending') held += qty;
      else if (PAID_LIKE.includes(o.status)) sold += qty;
    }
    const available = obs.stock.get(p.id) ?? NaN;
    if (p.initialStock + p.adjustments !== available + held + sold)
      out.push(
        `[4] product ${p.id}: initial ${p.initialStock} + adjustments ${p.adjustments} ≠ ` +
          `available ${available} + held ${held} + sold ${sold}`,
      );
  }
  return out;
}

/** 5. "Did the user buy it" exactly when a paid, not fully refunded order of theirs contains it. */
function purchasesTruthful(obs: Observation): string[] {
  const out: string[] = [];
  const mine = obs.orders.filter((o) => obs.myOrderIds.has(o.id));
  for (const [productId, answered] of obs.purchased) {
    const containing = mine.filter((o) => o.items.some((i) => i.productId === productId));
    const byRazorpay = containing.some((o) => {
      const s = settlingPayment(o, obs.payments.get(o.id) ?? []);
      return !!s && capturedEver(s) && refundedAtRazorpay(obs, s.id) < o.amount;
    });
    const byStatus = containing.some(
      (o) => o.status === 'paid' || o.status === 'partially_refunded',
    );
    if (answered !== byRazorpay || answered !== byStatus) {
      const orders = containing
        .map((o) => {
          const s = settlingPayment(o, obs.payments.get(o.id) ?? []);
          const refunded = s ? refundedAtRazorpay(obs, s.id) : 0;
          return `${o.id}:${o.status}:refunded ${o.amountRefunded} (Razorpay ${refunded})`;
        })
        .join(', ');
      out.push(
        `[5] purchase of ${productId} answered ${answered}; by Razorpay's state ${byRazorpay}, ` +
          `by the shop's order statuses ${byStatus} (orders: ${orders || 'none'})`,
      );
    }
  }
  return out;
}

/** What must hold at every instant, without waiting for anything: 1, and "never more" of 3. */
export function instantViolations(obs: Observation, model: SequenceModel): string[] {
  return [...paidOnlyWhenCaptured(obs), ...refundsMatchAsks(obs, model, false)];
}

/** All five, once asynchronous work has settled. */
export function settledViolations(obs: Observation, model: SequenceModel): string[] {
  return [
    ...paidOnlyWhenCaptured(obs),
    ...everyCaptureAccounted(obs),
    ...refundsMatchAsks(obs, model, true),
    ...stockConserved(obs, model),
    ...purchasesTruthful(obs),
  ];
}

export async function checkInstant(world: SequenceWorld, model: SequenceModel): Promise<void> {
  const violations = instantViolations(await observe(world, model, false), model);
  if (violations.length) throw new InvariantViolation(violations.map((v) => `(instant) ${v}`));
}

export async function checkSettled(world: SequenceWorld, model: SequenceModel): Promise<void> {
  await settle(world, model);
  const violations = settledViolations(await observe(world, model, true), model);
  if (violations.length) throw new InvariantViolation(violations);
}
