import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../mail/outbox.service';
import { MetricsService } from '../metrics/metrics.service';
import { TransitionSource } from '../orders/order-status';
import { OrderStateService } from '../orders/order-state.service';
import { utcDay } from '../common/utc-day';
import { OrdersRepository } from '../orders/orders.repository';
import { FlaggedPayment, OrderDocument } from '../orders/schemas/order.schema';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { RazorpayService } from '../razorpay/razorpay.service';
import { RazorpayPaymentEntity } from '../razorpay/razorpay.types';
import { PaymentsRepository } from './payments.repository';
import { PAYMENT_STATUS_RANK } from './schemas/payment.schema';
import { RefundsService } from './refunds.service';

export interface SettleOptions {
  /** A `refund.failed` report: a `refunded` snapshot may go back to `captured`. */
  refundFailed?: boolean;
}

/**
 * Where every report of a payment lands (verify, webhooks, reconciler). Only Razorpay's word moves
 * money: an order becomes paid on a `captured` payment of its amount, or on an `authorized` one
 * that the shop itself captured. Money that cannot be taken (late, duplicate, wrong amount) is
 * kept, flagged and refunded, never dropped.
 */
@Injectable()
export class PaymentSettlementService {
  private readonly logger = new Logger(PaymentSettlementService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly state: OrderStateService,
    private readonly razorpay: RazorpayService,
    private readonly refunds: RefundsService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** Applies Razorpay's snapshot of a payment; returns the order as it now stands (null: no order). */
  async apply(
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
    options: SettleOptions = {},
  ): Promise<OrderDocument | null> {
    const order = payment.order_id
      ? await this.orders.findByRazorpayOrderId(payment.order_id)
      : null;
    if (options.refundFailed || !snapshotSavedBySettle(order, payment))
      await this.payments.saveSnapshot(payment, order?._id ?? null, source, options.refundFailed);
    if (!order) {
      this.metrics.orphanPayments.inc();
      this.logger.warn(
        `payment ${payment.id} has no matching order (${payment.order_id ?? 'no order id'})`,
      );
      return null;
    }
    return this.settle(order, payment, source);
  }

  /**
   * True when applying this report would change nothing: an authorised or captured report of the
   * payment that already paid its order (the order keeps that payment whatever happens next, and
   * apply() writes nothing for it). A read; false whenever in doubt.
   */
  async changesNothing(payment: RazorpayPaymentEntity): Promise<boolean> {
    if (!payment.order_id || (payment.status !== 'authorized' && payment.status !== 'captured'))
      return false;
    const order = await this.orders.findByRazorpayOrderId(payment.order_id);
    return order !== null && reportsPayingPayment(order, payment);
  }

  private async settle(
    order: OrderDocument,
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
  ): Promise<OrderDocument | null> {
    switch (payment.status) {
      case 'failed':
        await this.orders.recordPaymentError(order._id, {
          code: payment.error_code ?? 'PAYMENT_FAILED',
          description: payment.error_description ?? 'The payment failed',
          reason: payment.error_reason ?? '',
          paymentId: payment.id,
          at: new Date(),
        });
        return this.orders.findById(order._id);
      case 'authorized':
        return this.captureIfTakeable(order, payment, source);
      case 'captured':
        return this.settleCaptured(order, payment, source);
      default:
        // `created` is still in progress; `refunded` money went back and never pays an order.
        return order;
    }
  }

  /**
   * Captures an authorised payment only for an order that can still take it. Anything else is left
   * authorised: Razorpay gives uncaptured money back by itself, so nothing is refunded twice.
   */
  private async captureIfTakeable(
    order: OrderDocument,
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
  ): Promise<OrderDocument | null> {
    if (order.status !== 'pending' || !matchesOrder(order, payment)) return order;
    let captured: RazorpayPaymentEntity;
    try {
      captured = await this.razorpay.captureAuthorized(payment);
    } catch (error) {
      // Not captured, or not known to be: the authorised payment is what there is to keep.
      await this.payments.saveSnapshot(payment, order._id, source);
      if (!(error instanceof RazorpayError) || error.kind === 'rejected') throw error;
      // The capture's outcome is unknown: confirming, until a webhook or the reconciler knows.
      return (await this.orders.markConfirming(order._id, payment.id)) ?? order;
    }
    await this.payments.saveSnapshot(captured, order._id, source);
    if (captured.status === 'captured') return this.settleCaptured(order, captured, source);
    if (captured.status === 'authorized')
      return (await this.orders.markConfirming(order._id, payment.id)) ?? order;
    return this.settle(order, captured, source);
  }

  private async settleCaptured(
    order: OrderDocument,
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
  ): Promise<OrderDocument | null> {
    if (order.paymentId === payment.id) return order;
    if (!matchesOrder(order, payment)) {
      await this.flag(order, 'amount_mismatch', payment);
      return this.orders.findById(order._id);
    }
    const paidAt = new Date();
    const paid = await this.state.transition(order, 'paid', {
      source,
      from: ['pending'],
      set: {
        paidAt,
        paidDay: utcDay(paidAt),
        paymentId: payment.id,
        lastPaymentError: null,
        confirmingPaymentId: null,
      },
    });
    if (paid) {
      if (source === 'reconciler') this.metrics.reconcilerRecoveries.inc();
      await this.outbox.orderPaid(paid, payment); // never throws; keyed by the order
      return paid;
    }
    // Lost the race or the order had moved on: find out which, without undoing anything.
    const current = await this.orders.findById(order._id);
    if (!current || current.paymentId === payment.id) return current;
    if (current.status === 'expired' || current.status === 'cancelled') {
      this.metrics.latePayments.inc();
      await this.flag(current, 'late_payment', payment);
    } else {
      await this.flag(current, 'duplicate_payment', payment);
    }
    return this.orders.findById(order._id);
  }

  /** Keeps captured money the order cannot take, and (by default) gives it back once. */
  private async flag(
    order: OrderDocument,
    reason: string,
    payment: RazorpayPaymentEntity,
  ): Promise<void> {
    const flag: FlaggedPayment = {
      paymentId: payment.id,
      reason,
      amount: payment.amount,
      at: new Date(),
    };
    const autoRefund = this.config.get('AUTO_REFUND_LATE_PAYMENTS') === 'true';
    const intent = autoRefund ? await this.refunds.prepareFlaggedRefund(order, flag) : null;
    if (await this.orders.flagPayment(order._id, flag))
      this.logger.warn(`order ${order.id}: payment ${payment.id} needs a refund (${reason})`);
    if (!intent) return;
    try {
      await this.refunds.complete(intent, 'reconciler');
    } catch (error) {
      // The intent is stored; the reconciler asks Razorpay again with the same key.
      this.logger.warn(
        `order ${order.id}: automatic refund of ${payment.id} not done yet (${(error as Error).message})`,
      );
    }
  }
}

/**
 * Reports whose snapshot apply() need not write: an authorised payment the order can take is
 * captured first and stored with the capture's outcome (one write, not two); and a report, at or
 * before captured, of the payment that paid the order changes nothing, because its captured
 * snapshot was stored before the order moved (the write would be refused by the status rank).
 */
function snapshotSavedBySettle(
  order: OrderDocument | null,
  payment: RazorpayPaymentEntity,
): boolean {
  if (!order) return false;
  if (payment.status === 'authorized' && order.status === 'pending' && matchesOrder(order, payment))
    return true;
  return reportsPayingPayment(order, payment);
}

/**
 * A report, at or before captured, of the payment that paid the order (paymentId is set only by
 * the move to paid, after that payment's captured snapshot was stored and its amount matched).
 */
function reportsPayingPayment(order: OrderDocument, payment: RazorpayPaymentEntity): boolean {
  return (
    order.paymentId === payment.id &&
    PAYMENT_STATUS_RANK[payment.status] <= PAYMENT_STATUS_RANK.captured
  );
}

function matchesOrder(order: OrderDocument, payment: RazorpayPaymentEntity): boolean {
  return payment.amount === order.amount && payment.currency === order.currency;
}
