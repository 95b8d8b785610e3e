import {
  paymentJson,
  orderJson,
  refundJson,
  type OrderRecord,
  type PaymentError,
  type PaymentMethod,
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
  authorizePayment,
  failPayment,
  startPayment,
  type Customer,
  type Emit,
} from './payments';
import { createRefund, failRefund, type RefundRequest } from './refunds';
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

export interface PayRequest {
  orderId: unknown;
  outcome: unknown;
  method?: unknown;
  instrument?: InstrumentInput;
  customer?: Customer;
}

/** Wires state, faults and webhook delivery together; the routes only translate HTTP. */
export class SandboxEngine {
  readonly state = new SandboxState();
  readonly faults = new FaultStore();
  readonly webhooks: WebhookDelivery;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly keySecret: string,
    delivery: DeliveryConfig,
  ) {
    this.webhooks = new WebhookDelivery(delivery, this.faults);
  }

  /** Webhook payloads are snapshots of the entities at this instant (razorpay.md §6.2). */
  readonly emit: Emit = (event, refs) => {
    const order = refs.order ? orderJson(refs.order) : undefined;
    const refund = refs.refund ? refundJson(refs.refund) : undefined;
    const payment = paymentJson(refs.payment, { card: true });
    this.webhooks.emit(buildEvent(event, { payment, order, refund }));
  };

  /** What the modal's Success/Failure buttons and `POST /_sandbox/payments` do. */
  pay(req: PayRequest): PaymentSuccess | PaymentFailure {
    if (typeof req.orderId !== 'string' || !req.orderId) {
      throw validation('order_id: is required.', 'order_id');
    }
    if (req.outcome !== 'success' && req.outcome !== 'failure') {
      throw validation('outcome must be "success" or "failure"', 'outcome');
    }
    const method = (req.method ?? 'card') as PaymentMethod;
    if (!PAYMENT_METHODS.includes(method)) {
      throw validation(`method must be one of ${PAYMENT_METHODS.join(', ')}`, 'method');
    }
    const order = getOrder(this.state, req.orderId);
    assertPayable(this.state, order);
    const instrument = resolveInstrument(method, req.instrument ?? {}, req.outcome);
    const payment = startPayment(this.state, order, method, instrument, req.customer ?? {});
    const error =
      req.outcome === 'failure'
        ? (instrument.forcedError ?? GENERIC_FAILURE)
        : instrument.forcedError;
    if (error) {
      failPayment(payment, error, this.emit);
      return failure(order, payment.id, error);
    }
    const late = this.faults.take('webhooks', ['late_authorization'], `${order.id} ${method}`);
    if (late) {
      // Razorpay's late authorisation: marked failed on timeout, authorized when the bank answers.
      failPayment(payment, TIMED_OUT_FAILURE, this.emit);
      this.later(late.delayMs ?? 0, () => authorizePayment(this.state, payment, this.emit));
      return failure(order, payment.id, TIMED_OUT_FAILURE);
    }
    authorizePayment(this.state, payment, this.emit);
    return {
      razorpay_payment_id: payment.id,
      razorpay_order_id: order.id,
      // Checkout signature uses the API key secret, not the webhook secret (razorpay.md §5).
      razorpay_signature: hmacHex(`${order.id}|${payment.id}`, this.keySecret),
    };
  }

  refund(req: Omit<RefundRequest, 'willFail'>) {
    const willFail = !!this.faults.peek('webhooks', ['refund_failed'], req.paymentId);
    const result = createRefund(this.state, { ...req, willFail }, this.emit);
    if (willFail && !result.replayed) {
      this.faults.take('webhooks', ['refund_failed'], req.paymentId);
      const refund = result.refund;
      this.later(50, () => failRefund(this.state, refund, this.emit));
    }
    return result;
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

  reset(): void {
    this.clearTimers();
    this.state.reset();
    this.faults.clear();
    this.webhooks.reset();
  }

  close(): void {
    this.clearTimers();
    this.webhooks.close();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private clearTimers(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}

/** The checkout `payment.failed` shape: the payment's error plus order/payment ids. */
function failure(order: OrderRecord, paymentId: string, e: PaymentError): PaymentFailure {
  return { error: { ...e, metadata: { order_id: order.id, payment_id: paymentId } } };
}
