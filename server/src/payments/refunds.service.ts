import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DomainException } from '../common/domain.exception';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../mail/outbox.service';
import { TransitionSource } from '../orders/order-status';
import { OrderStateService } from '../orders/order-state.service';
import { OrdersRepository } from '../orders/orders.repository';
import { FlaggedPayment, OrderDocument } from '../orders/schemas/order.schema';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { RazorpayService } from '../razorpay/razorpay.service';
import { RazorpayRefundEntity } from '../razorpay/razorpay.types';
import { PaymentsRepository } from './payments.repository';
import { RefundIntentsRepository } from './refund-intents.repository';
import { RefundsRepository } from './refunds.repository';
import { RefundIntentDocument } from './schemas/refund-intent.schema';

const CAS_ATTEMPTS = 10;
const MIN_REFUND = 100;

export interface RefundRequest {
  /** Paise; omit for everything not yet refunded. */
  amount?: number;
  /** A flagged payment to refund; omit for the order's own payment. */
  paymentId?: string;
  /** The operator's Idempotency-Key: the same key always means the same refund. */
  idempotencyKey?: string;
}

/**
 * Refunds in three idempotent steps: an intent is stored (stable Razorpay key and body), Razorpay
 * is asked with that key (as often as it takes), and the refund is counted on the order once.
 * Any step may be repeated by the operator's retry, a webhook or the reconciler.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly intents: RefundIntentsRepository,
    private readonly state: OrderStateService,
    private readonly razorpay: RazorpayService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  async refundOrder(orderId: string, request: RefundRequest): Promise<RefundIntentDocument> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    const intentId = request.idempotencyKey
      ? sha256(`operator:${order.id as string}:${request.idempotencyKey}`)
      : sha256(`operator:${order.id as string}:${randomUUID()}`);
    const earlier = await this.intents.findById(intentId);
    if (earlier) return this.resume(earlier, request);
    const { paymentId, remaining: refundable } = await this.refundTarget(order, request.paymentId);
    // A refund whose answer never came may have happened at Razorpay: what it asked for is not
    // offered again until that outcome is known (retry it with its key, or the reconciler will).
    const inFlight = await this.intents.inFlightFor(paymentId);
    const remaining = refundable - inFlight;
    const tooMuch =
      request.amount === undefined ? remaining < MIN_REFUND : request.amount > remaining;
    if (inFlight > 0 && tooMuch) {
      throw new DomainException(
        'REFUND_NOT_ALLOWED',
        `A refund of ${inFlight} paise on this payment is still being confirmed with Razorpay; ` +
          `at most ${Math.max(0, remaining)} paise can be refunded until it is`,
      );
    }
    const amount = request.amount ?? remaining;
    if (!Number.isInteger(amount) || amount < MIN_REFUND || amount > remaining) {
      throw new DomainException(
        'REFUND_AMOUNT_INVALID',
        `Refund amount must be between ${MIN_REFUND} and ${remaining} paise`,
      );
    }
    const intent = await this.intents.insertOrGet({
      _id: intentId,
      orderId: order._id,
      paymentId,
      amount,
      razorpayKey: `rfnd_${intentId.slice(0, 32)}`,
      kind: 'operator',
    });
    return this.resume(intent, request);
  }

  /**
   * The refund of a payment the order could not take, stored before the flag so a crash in
   * between still leaves work for the reconciler. Keyed by the payment and how many of its refunds
   * failed before, so every racer gets the same one intent, and a failed refund is tried anew.
   */
  async prepareFlaggedRefund(
    order: OrderDocument,
    flag: FlaggedPayment,
  ): Promise<RefundIntentDocument> {
    const failedBefore = await this.refunds.countFailedForPayment(flag.paymentId);
    const intentId = sha256(`flagged:${flag.paymentId}:${failedBefore}`);
    return this.intents.insertOrGet({
      _id: intentId,
      orderId: order._id,
      paymentId: flag.paymentId,
      amount: flag.amount,
      razorpayKey: `rfnd_${intentId.slice(0, 32)}`,
      kind: 'flagged',
    });
  }

  /** Asks Razorpay for the intent's refund (same key, same body) and records it; safe to repeat. */
  async complete(
    intent: RefundIntentDocument,
    source: TransitionSource,
  ): Promise<RefundIntentDocument> {
    if (intent.status === 'done') return intent;
    if (intent.status === 'rejected') {
      throw new DomainException(
        'RAZORPAY_REJECTED',
        `Razorpay refused this refund: ${intent.error ?? 'no reason given'}`,
      );
    }
    await this.intents.countAttempt(intent._id);
    let refund: RazorpayRefundEntity;
    try {
      refund = await this.razorpay.createRefund(
        intent.paymentId,
        { amount: intent.amount, notes: { shop_order_id: intent.orderId.toHexString() } },
        intent.razorpayKey,
      );
    } catch (error) {
      // Only Razorpay's own refusal ends the intent; after a timeout the refund may exist, so the
      // intent stays open and the next try with the same key finds out.
      if (error instanceof RazorpayError && error.kind === 'rejected') {
        await this.intents.markRejected(intent._id, error.upstreamDescription ?? error.message);
      }
      throw error;
    }
    await this.record(refund, source);
    await this.intents.markDone(intent._id, refund.id);
    return (await this.intents.findById(intent._id)) ?? intent;
  }

  /**
   * Records Razorpay's report of a refund (API answer or webhook, any order, any number of times)
   * and counts it on the order: once when Razorpay accepts it, given back once if it fails.
   */
  async record(refund: RazorpayRefundEntity, source: TransitionSource): Promise<void> {
    const payment = await this.payments.findById(refund.payment_id);
    const order = payment?.orderId ? await this.orders.findById(payment.orderId) : null;
    if (!order) {
      this.logger.warn(`refund ${refund.id} for unknown payment ${refund.payment_id}`);
      return;
    }
    await this.refunds.saveSnapshot({
      _id: refund.id,
      orderId: order._id,
      paymentId: refund.payment_id,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
    });
    if (refund.payment_id !== order.paymentId) {
      // A flagged payment: its refund closes the flag, or (failed) leaves it open for another try.
      if (refund.status !== 'failed') return this.orders.closeFlag(order._id, refund.payment_id);
      await this.orders.reopenFlag(order._id, refund.payment_id);
      const flag = order.flaggedPayments.find((f) => f.paymentId === refund.payment_id);
      if (flag && this.config.get('AUTO_REFUND_LATE_PAYMENTS') === 'true') {
        // A new intent (the failure count is part of its key); the reconciler sends it.
        await this.prepareFlaggedRefund(order, flag);
      }
      return;
    }
    if (refund.status === 'failed') await this.giveBack(order, refund, source);
    else await this.count(order, refund, source);
  }

  /** Adds the refund to amountRefunded once (compare-and-set, so concurrent refunds add up). */
  private async count(
    order: OrderDocument,
    refund: RazorpayRefundEntity,
    source: TransitionSource,
  ): Promise<void> {
    let current: OrderDocument | null = order;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current; attempt++) {
      if (current.appliedRefundIds.includes(refund.id)) return;
      if (current.revertedRefundIds.includes(refund.id)) return; // it failed: never counts
      const moved = await this.state.transition(current, statusAfter(current, refund.amount), {
        source,
        note: `refunded ${refund.amount} paise (${refund.id})`,
        from: ['paid', 'partially_refunded', 'refunded'],
        inc: { amountRefunded: refund.amount },
        push: { appliedRefundIds: refund.id },
        guard: {
          amountRefunded: current.amountRefunded,
          appliedRefundIds: { $ne: refund.id },
          revertedRefundIds: { $ne: refund.id },
        },
      });
      if (moved) return this.outbox.refundCounted(moved, refund); // never throws
      current = await this.orders.findById(order._id);
    }
    this.logger.error(`order ${order.id}: could not count refund ${refund.id}`);
    throw new Error(`refund ${refund.id} could not be counted; it will be retried`);
  }

  /** A failed refund: subtract it if it was counted, and make sure it can never be counted later. */
  private async giveBack(
    order: OrderDocument,
    refund: RazorpayRefundEntity,
    source: TransitionSource,
  ): Promise<void> {
    let current: OrderDocument | null = order;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current; attempt++) {
      if (current.revertedRefundIds.includes(refund.id)) return;
      if (!current.appliedRefundIds.includes(refund.id)) {
        if (await this.orders.rememberUncountedFailedRefund(current._id, refund.id)) return;
      } else {
        const moved = await this.state.transition(current, statusAfter(current, -refund.amount), {
          source,
          note: `refund ${refund.id} of ${refund.amount} paise failed`,
          from: ['paid', 'partially_refunded', 'refunded'],
          inc: { amountRefunded: -refund.amount },
          push: { revertedRefundIds: refund.id },
          guard: {
            amountRefunded: current.amountRefunded,
            appliedRefundIds: refund.id,
            revertedRefundIds: { $ne: refund.id },
          },
        });
        if (moved) return;
      }
      current = await this.orders.findById(order._id);
    }
    this.logger.error(`order ${order.id}: could not give back failed refund ${refund.id}`);
    throw new Error(`failed refund ${refund.id} could not be applied; it will be retried`);
  }

  /** A retry of an earlier request: the same refund, or a conflict if the request differs. */
  private async resume(
    intent: RefundIntentDocument,
    request: RefundRequest,
  ): Promise<RefundIntentDocument> {
    const differs =
      (request.amount !== undefined && request.amount !== intent.amount) ||
      (request.paymentId !== undefined && request.paymentId !== intent.paymentId);
    if (differs) {
      throw new DomainException(
        'IDEMPOTENCY_CONFLICT',
        'This Idempotency-Key was used for a different refund',
      );
    }
    return this.complete(intent, 'admin');
  }

  /** The order's own payment by default; a flagged payment only when named, and only while open. */
  private async refundTarget(
    order: OrderDocument,
    flaggedPaymentId?: string,
  ): Promise<{ paymentId: string; remaining: number }> {
    if (flaggedPaymentId && flaggedPaymentId !== order.paymentId) {
      const flag = order.flaggedPayments.find((f) => f.paymentId === flaggedPaymentId);
      if (!flag || order.refundedFlaggedPaymentIds.includes(flaggedPaymentId)) {
        throw new DomainException(
          'REFUND_NOT_ALLOWED',
          `Payment ${flaggedPaymentId} is not an open flagged payment of this order`,
        );
      }
      const remaining = flag.amount - (await this.refunds.refundedForPayment(flaggedPaymentId));
      return { paymentId: flaggedPaymentId, remaining };
    }
    if ((order.status === 'paid' || order.status === 'partially_refunded') && order.paymentId) {
      return { paymentId: order.paymentId, remaining: order.amount - order.amountRefunded };
    }
    throw new DomainException(
      'REFUND_NOT_ALLOWED',
      `An order that is ${order.status} has no payment to refund`,
    );
  }
}

function statusAfter(order: OrderDocument, delta: number) {
  const refunded = order.amountRefunded + delta;
  return refunded >= order.amount ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
