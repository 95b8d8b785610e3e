import {
  paymentJson,
  orderJson,
  refundJson,
  type OrderRecord,
  type PaymentError,
  type PaymentMethod,
  type PaymentRecord,
} from './entities';
import { badState, validation } from './errors';
import { FaultStore } from './faults';
import {
  GENERIC_FAILURE,
  TIMED_OUT_FAILURE,
  resolveInstrument,
  type InstrumentInput,
} from './instruments';
import { getOrder } from './orders';
import {
  PAYMENT_METHODS,
  assertPayable,
  captureFromApi,
  capturePayment,
  failPayment,
  getPayment,
  markAuthorized,
  startPayment,
  type Customer,
  type Emit,
} from './payments';
import { mulberry32 } from './random';
import {
  createRefund,
  failRefund,
  openRefund,
  processRefund,
  type RefundPlan,
  type RefundRequest,
} from './refunds';
import { DEFAULT_FLUSH_KINDS, EFFECT_KINDS, Scheduler, type EffectKind } from './scheduler';
import { updateSettings, type SandboxSettings } from './settings';
import { SandboxState } from './state';
import { WebhookDelivery, type DeliveryConfig } from './webhooks/delivery';
import {
  buildEvent,
  WEBHOOK_EVENTS,
  type EventRecord,
  type WebhookEventName,
} from './webhooks/events';
import { hmacHex } from './webhooks/signature';

export interface PaymentSuccess {
  razorpay_payment_id: string;
  razorpay_order_id: string;
  razorpay_signature: string;
}

export interface PaymentFailure {
  error: {
    code: string;
    description: string;
    source: string;
    step: string;
    reason: string;
    metadata: { order_id: string; payment_id: string };
  };
}

/** `outcome: "pending"`: the payment stays `created` until completed through the controls. */
export interface PaymentPending {
  razorpay_payment_id: string;
  razorpay_order_id: string;
  status: 'created';
}

export type PayResult = PaymentSuccess | PaymentFailure | PaymentPending;
type Final = PaymentSuccess | PaymentFailure;

export interface PayRequest {
  orderId: unknown;
  outcome: unknown;
  method?: unknown;
  instrument?: InstrumentInput;
  customer?: Customer;
}

const OUTCOMES = ['success', 'failure', 'pending', 'timeout'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** Wires state, faults, scheduled effects and webhook delivery; the routes only translate HTTP. */
export class SandboxEngine {
  readonly state: SandboxState;
  readonly faults = new FaultStore();
  readonly scheduler = new Scheduler((err) =>
    this.log(`scheduled effect failed: ${(err as Error)?.stack ?? String(err)}`),
  );
  readonly webhooks: WebhookDelivery;
  private deliveryRandom: () => number;
  private refundRandom: () => number;
  /** Payments left `created` (pending outcome, UPI collect) and how they would finish. */
  private readonly inProgress = new Map<
    string,
    { forced: PaymentError | null; waiters: ((r: Final) => void)[] }
  >();

  constructor(
    private readonly keySecret: string,
    private readonly delivery: DeliveryConfig,
    private readonly initialSettings: SandboxSettings,
  ) {
    this.state = new SandboxState(initialSettings);
    [this.deliveryRandom, this.refundRandom] = this.seeded();
    this.webhooks = new WebhookDelivery(
      delivery,
      this.faults,
      this.scheduler,
      () => this.state.settings,
      () => this.deliveryRandom(),
    );
  }

  get settings(): SandboxSettings {
    return this.state.settings;
  }

  updateSettings(patch: unknown): SandboxSettings {
    const before = this.state.settings.deliverySeed;
    this.state.settings = updateSettings(this.state.settings, patch);
    // A new seed restarts the sequence, so the same seed replays the same decisions.
    if (this.state.settings.deliverySeed !== before) {
      [this.deliveryRandom, this.refundRandom] = this.seeded();
    }
    return this.state.settings;
  }

  /** Webhook payloads are snapshots of the entities at this instant (razorpay.md §6.2). */
  readonly emit: Emit = (event, refs) => {
    const order = refs.order ? orderJson(refs.order) : undefined;
    const refund = refs.refund ? refundJson(refs.refund) : undefined;
    const payment = paymentJson(refs.payment, { card: true, webhook: true });
    this.webhooks.emit(buildEvent(event, { payment, order, refund }));
  };

  /** What the modal's Success/Failure buttons and `POST /_sandbox/payments` do. */
  async pay(req: PayRequest): Promise<PayResult> {
    if (typeof req.orderId !== 'string' || !req.orderId) {
      throw validation('order_id: is required.', 'order_id');
    }
    if (!(OUTCOMES as readonly unknown[]).includes(req.outcome)) {
      throw validation(`outcome must be one of ${OUTCOMES.join(', ')}`, 'outcome');
    }
    const outcome = req.outcome as Outcome;
    const method = (req.method ?? 'card') as PaymentMethod;
    if (!PAYMENT_METHODS.includes(method)) {
      throw validation(`method must be one of ${PAYMENT_METHODS.join(', ')}`, 'method');
    }
    const flow = req.instrument?.flow;
    if (flow !== undefined && (method !== 'upi' || (flow !== 'collect' && flow !== 'intent'))) {
      throw validation('flow must be "collect" or "intent", for method upi only', 'flow');
    }
    const collect = method === 'upi' && flow !== 'intent';
    if (outcome === 'timeout' && !collect) {
      throw validation('outcome "timeout" is for UPI collect payments only', 'outcome');
    }
    const order = getOrder(this.state, req.orderId);
    assertPayable(this.state, order);
    const instrument = resolveInstrument(
      method,
      req.instrument ?? {},
      outcome === 'success' || outcome === 'pending' ? 'success' : 'failure',
    );
    const payment = startPayment(this.state, order, method, instrument, req.customer ?? {});
    if (outcome === 'pending') {
      this.inProgress.set(payment.id, { forced: instrument.forcedError, waiters: [] });
      return { razorpay_payment_id: payment.id, razorpay_order_id: order.id, status: 'created' };
    }
    const delay = this.settings.upiCollectDelayMs;
    if (!collect || delay === 0) return this.finish(payment, outcome, instrument.forcedError);
    // UPI collect: `created` until the shopper approves in their app (or it times out); the
    // caller (the modal) waits, and the effect happens even if it stops waiting.
    const entry = { forced: instrument.forcedError, waiters: [] as ((r: Final) => void)[] };
    this.inProgress.set(payment.id, entry);
    const done = new Promise<Final>((resolve) => entry.waiters.push(resolve));
    this.scheduler.schedule('upi_collect', delay, payment.id, () =>
      this.completePending(payment.id, outcome),
    );
    return done;
  }

  /** `POST /_sandbox/payments/:id/complete`: finishes a payment left `created`. */
  completePending(id: string, outcome: unknown): Final {
    if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'timeout') {
      throw validation('outcome must be "success", "failure" or "timeout"', 'outcome');
    }
    const payment = getPayment(this.state, id);
    const entry = this.inProgress.get(payment.id);
    if (!entry || payment.status !== 'created') {
      throw badState('Only a payment left in progress (status created) can be completed.');
    }
    this.inProgress.delete(payment.id);
    this.scheduler.cancel('upi_collect', payment.id);
    const result = this.finish(payment, outcome, entry.forced);
    entry.waiters.forEach((w) => w(result));
    return result;
  }

  private finish(
    payment: PaymentRecord,
    outcome: 'success' | 'failure' | 'timeout',
    forced: PaymentError | null,
  ): Final {
    const order = this.state.orders.get(payment.orderId) as OrderRecord;
    const error =
      outcome === 'timeout'
        ? TIMED_OUT_FAILURE
        : outcome === 'failure'
          ? (forced ?? GENERIC_FAILURE)
          : forced;
    if (error) {
      failPayment(payment, error, this.emit);
      return failure(order, payment.id, error);
    }
    const late = this.faults.take(
      'webhooks',
      ['late_authorization'],
      `${order.id} ${payment.method}`,
    );
    if (late) {
      // Razorpay's late authorisation: marked failed on timeout, authorized when the bank answers.
      failPayment(payment, TIMED_OUT_FAILURE, this.emit);
      this.scheduler.schedule('late_authorization', late.delayMs ?? 0, payment.id, () =>
        this.authorize(payment),
      );
      return failure(order, payment.id, TIMED_OUT_FAILURE);
    }
    this.authorize(payment);
    return {
      razorpay_payment_id: payment.id,
      razorpay_order_id: order.id,
      // Checkout signature uses the API key secret, not the webhook secret (razorpay.md §5).
      razorpay_signature: hmacHex(`${order.id}|${payment.id}`, this.keySecret),
    };
  }

  /**
   * `authorized` now, `payment.authorized` sent; with auto-capture the capture follows after
   * `captureDelayMs` (razorpay.md §2.3). Whatever stays authorized is refunded after
   * `authorizedExpiryMs` × time scale (§2.2).
   */
  private authorize(payment: PaymentRecord): void {
    const order = this.state.orders.get(payment.orderId) as OrderRecord;
    markAuthorized(payment, this.emit);
    // A late authorisation on an order that another payment already paid stays uncaptured.
    if (order.autoCapture && order.status !== 'paid') {
      const delay = this.settings.captureDelayMs;
      if (delay === 0) this.capture(payment);
      else {
        this.scheduler.schedule('capture', delay, payment.id, () => {
          if (payment.status === 'authorized' && order.status !== 'paid') this.capture(payment);
        });
      }
    }
    if (payment.status === 'authorized') {
      this.scheduler.schedule(
        'authorized_expiry',
        this.settings.authorizedExpiryMs * this.delivery.timeScale,
        payment.id,
        () => this.expire(payment),
      );
    }
  }

  private capture(payment: PaymentRecord): void {
    capturePayment(this.state, payment, this.emit);
    this.scheduler.cancel('capture', payment.id);
    this.scheduler.cancel('authorized_expiry', payment.id);
  }

  /** `POST /v1/payments/:id/capture`; a pending auto-capture then has nothing left to do. */
  captureFromApi(id: string, body: Record<string, unknown>): PaymentRecord {
    const payment = captureFromApi(this.state, id, body, this.emit);
    this.scheduler.cancel('capture', payment.id);
    this.scheduler.cancel('authorized_expiry', payment.id);
    return payment;
  }

  /** Razorpay refunds an authorized payment nobody captured in time (status UNCONFIRMED, §12.5). */
  private expire(payment: PaymentRecord): void {
    if (payment.status !== 'authorized') return;
    const delay = this.settings.refundProcessDelayMs;
    const refund = openRefund(this.state, payment, payment.amount - payment.amountRefunded, {
      notes: {},
      receipt: null,
      speedRequested: null,
      speedProcessed: 'normal',
      status: delay === 0 ? 'processed' : 'pending',
    });
    this.log(`${payment.id} not captured in time: auto-refunded as ${refund.id}`);
    this.emit('refund.created', { payment, refund });
    if (refund.status === 'processed') this.emit('refund.processed', { payment, refund });
    else {
      this.scheduler.schedule('refund', delay, refund.id, () =>
        processRefund(this.state, refund, false, this.emit),
      );
    }
  }

  /**
   * Normal refunds answer `pending` and are processed after `refundProcessDelayMs`; optimum ones
   * are `processed` at once (`instant`) or, for a seeded share, fall back to normal and send
   * `refund.speed_changed` (razorpay.md §2.6). An armed `refund_failed` fault fails it instead.
   */
  refund(req: RefundRequest) {
    const fails = !!this.faults.peek('webhooks', ['refund_failed'], req.paymentId);
    const delay = this.settings.refundProcessDelayMs;
    let fallback = false;
    const plan: RefundPlan = (speed) => {
      if (speed === 'optimum') {
        fallback = this.refundRandom() < this.settings.optimumFallbackRate;
        const pending = fails || fallback;
        return { status: pending ? 'pending' : 'processed', speedProcessed: 'instant' };
      }
      return { status: fails || delay > 0 ? 'pending' : 'processed', speedProcessed: 'normal' };
    };
    const result = createRefund(this.state, req, plan, this.emit);
    const { refund } = result;
    if (!result.replayed && refund.status === 'pending') {
      if (fails) this.faults.take('webhooks', ['refund_failed'], req.paymentId);
      this.scheduler.schedule('refund', delay, refund.id, () =>
        fails
          ? failRefund(this.state, refund, this.emit)
          : processRefund(this.state, refund, fallback, this.emit),
      );
    }
    return result;
  }

  /** `POST /_sandbox/flush`: runs scheduled effects now (all but the expiry unless named). */
  async flush(kinds: unknown) {
    let chosen: readonly EffectKind[] = DEFAULT_FLUSH_KINDS;
    if (kinds !== undefined) {
      if (
        !Array.isArray(kinds) ||
        kinds.some((k) => !(EFFECT_KINDS as readonly unknown[]).includes(k))
      ) {
        throw validation(`kinds must be a list of ${EFFECT_KINDS.join(', ')}`, 'kinds');
      }
      chosen = kinds as EffectKind[];
    }
    // Events held by a half-used `reorder` fault are released too.
    if (chosen.includes('delivery')) this.webhooks.releaseHeld();
    const ran = await this.scheduler.flush(chosen, () => this.webhooks.settle());
    return { ran, count: ran.length, pending: this.scheduler.list() };
  }

  /** Re-emits `event` for the current state of the order's latest payment (a "stripe trigger"). */
  trigger(event: unknown, orderId: unknown): EventRecord {
    if (typeof event !== 'string' || !(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
      throw validation(`event must be one of ${WEBHOOK_EVENTS.join(', ')}`, 'event');
    }
    if (typeof orderId !== 'string') throw validation('order_id: is required.', 'order_id');
    const order = getOrder(this.state, orderId);
    const payment = this.state.paymentsOf(order.id).at(-1);
    if (!payment) throw badState('The order has no payments yet; pay it first.');
    const name = event as WebhookEventName;
    let refs: Parameters<Emit>[1] = { payment };
    if (name === 'order.paid') refs = { payment, order };
    if (name.startsWith('refund.')) {
      const refund = this.state.refundsOf(payment.id).at(-1);
      if (!refund) throw badState('The latest payment of this order has no refunds.');
      refs = { payment, refund };
    }
    this.emit(name, refs);
    return this.webhooks.list().at(-1) as EventRecord;
  }

  /** Back to the settings given at creation; the seed restarts its sequence. */
  reset(): void {
    this.scheduler.clear();
    this.dropWaiters();
    this.state.reset(this.initialSettings);
    [this.deliveryRandom, this.refundRandom] = this.seeded();
    this.faults.clear();
    this.webhooks.reset();
  }

  close(): void {
    this.scheduler.close();
    this.dropWaiters();
    this.webhooks.close();
  }

  /** Callers still waiting on a UPI collect get a timeout answer; nothing changes state. */
  private dropWaiters(): void {
    for (const [id, entry] of this.inProgress) {
      const payment = this.state.payments.get(id);
      if (!payment) continue;
      const order = this.state.orders.get(payment.orderId) as OrderRecord;
      entry.waiters.forEach((w) => w(failure(order, id, TIMED_OUT_FAILURE)));
    }
    this.inProgress.clear();
  }

  private seeded(): [() => number, () => number] {
    const seed = this.state.settings.deliverySeed;
    // Separate streams, so refunds never shift the delivery decisions of a replayed run.
    return [mulberry32(seed), mulberry32(seed ^ 0x5bd1e995)];
  }

  private log(line: string): void {
    this.delivery.log(`[razorpay-sandbox] ${line}`);
  }
}

/** The checkout `payment.failed` shape: the payment's error plus order/payment ids. */
function failure(order: OrderRecord, paymentId: string, e: PaymentError): PaymentFailure {
  return { error: { ...e, metadata: { order_id: order.id, payment_id: paymentId } } };
}
