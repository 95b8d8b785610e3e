import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { TransitionSource } from '../orders/order-status';
import { OrderStateService } from '../orders/order-state.service';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PaymentsRepository } from './payments.repository';
import { RazorpayPaymentEntity } from '../razorpay/razorpay.types';

/**
 * Where every report of a payment lands (verify, webhooks, reconciler): records Razorpay's snapshot
 * and, for captured money that matches the order, makes the single pending → paid move. Money that
 * cannot be taken (late, duplicate, wrong amount) is kept and flagged for refund, never dropped.
 */
@Injectable()
export class PaymentSettlementService {
  private readonly logger = new Logger(PaymentSettlementService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly state: OrderStateService,
    private readonly metrics: MetricsService,
  ) {}

  async apply(
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
  ): Promise<OrderDocument | null> {
    const order = payment.order_id
      ? await this.orders.findByRazorpayOrderId(payment.order_id)
      : null;
    await this.payments.saveSnapshot(payment, order?._id ?? null, source);
    if (!order) {
      this.metrics.orphanPayments.inc();
      this.logger.warn(
        `payment ${payment.id} has no matching order (${payment.order_id ?? 'no order id'})`,
      );
      return null;
    }
    if (payment.status === 'failed') {
      await this.orders.recordPaymentError(order._id, {
        code: payment.error_code ?? 'PAYMENT_FAILED',
        description: payment.error_description ?? 'The payment failed',
        reason: payment.error_reason ?? '',
        paymentId: payment.id,
        at: new Date(),
      });
      return this.orders.findById(order._id);
    }
    // Authorised money is not ours yet; auto-capture (or the caller's capture) brings `captured`.
    if (payment.status !== 'captured' && payment.status !== 'refunded') return order;
    return this.settleCaptured(order, payment, source);
  }

  private async settleCaptured(
    order: OrderDocument,
    payment: RazorpayPaymentEntity,
    source: TransitionSource,
  ): Promise<OrderDocument | null> {
    if (payment.amount !== order.amount || payment.currency !== order.currency) {
      await this.flag(order, 'amount_mismatch', payment.id);
      return this.orders.findById(order._id);
    }
    const paid = await this.state.transition(order, 'paid', {
      source,
      from: ['pending'],
      set: { paidAt: new Date(), paymentId: payment.id, lastPaymentError: null },
    });
    if (paid) {
      if (source === 'reconciler') this.metrics.reconcilerRecoveries.inc();
      return paid;
    }
    // Lost the race or the order had moved on: find out which, without undoing anything.
    const current = await this.orders.findById(order._id);
    if (!current || current.paymentId === payment.id) return current;
    if (current.status === 'expired' || current.status === 'cancelled') {
      this.metrics.latePayments.inc();
      await this.flag(current, 'late_payment', payment.id);
    } else {
      await this.flag(current, 'duplicate_payment', payment.id);
    }
    return this.orders.findById(order._id);
  }

  private async flag(order: OrderDocument, reason: string, paymentId: string): Promise<void> {
    this.logger.warn(`order ${order.id}: payment ${paymentId} needs a refund (${reason})`);
    await this.orders.flagRefundRequired(order._id, reason, paymentId);
  }
}
