import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { TransitionSource } from '../orders/order-status';
import { OrderStateService } from '../orders/order-state.service';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PaymentsRepository } from './payments.repository';
import { RazorpayService } from '../razorpay/razorpay.service';
import { RazorpayRefundEntity } from '../razorpay/razorpay.types';
import { RefundsRepository } from './refunds.repository';

const CAS_ATTEMPTS = 10;
const MIN_REFUND = 100;

@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly state: OrderStateService,
    private readonly razorpay: RazorpayService,
  ) {}

  /**
   * Refunds a payment flagged for refund, else the order's payment. The idempotency key is derived
   * from the order and how many refunds it has, so a retried request reuses it and Razorpay answers
   * with the same refund instead of paying out twice.
   */
  async refundOrder(orderId: string, requested?: number): Promise<OrderDocument> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    const { paymentId, remaining } = await this.refundTarget(order);
    const amount = requested ?? remaining;
    if (!Number.isInteger(amount) || amount < MIN_REFUND || amount > remaining) {
      throw new DomainException(
        'REFUND_AMOUNT_INVALID',
        `Refund amount must be between ${MIN_REFUND} and ${remaining} paise`,
      );
    }
    const sequence = (await this.refunds.countForOrder(order._id)) + 1;
    const key = `rfnd-${order.id as string}-${sequence}`;
    const refund = await this.razorpay.createRefund(
      paymentId,
      { amount, notes: { shop_order_id: order.id as string } },
      key,
    );
    await this.record(refund, 'admin', key);
    return (await this.orders.findById(order._id)) ?? order;
  }

  /** Records a refund once (unique id) and counts it against its order once; a failed refund is counted back. */
  async record(
    refund: RazorpayRefundEntity,
    source: TransitionSource,
    idempotencyKey = '',
  ): Promise<void> {
    const payment = await this.payments.findById(refund.payment_id);
    const order = payment?.orderId ? await this.orders.findById(payment.orderId) : null;
    if (!order) {
      this.logger.warn(`refund ${refund.id} for unknown payment ${refund.payment_id}`);
      return;
    }
    const inserted = await this.refunds.insertOnce({
      _id: refund.id,
      orderId: order._id,
      paymentId: refund.payment_id,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
      idempotencyKey,
    });
    const countsTowardsOrder = refund.payment_id === order.paymentId;
    if (inserted) {
      if (refund.status !== 'failed' && countsTowardsOrder)
        await this.applyToOrder(order, refund.amount, source);
      return;
    }
    if (refund.status === 'processed')
      await this.refunds.moveStatus(refund.id, ['pending'], 'processed');
    if (
      refund.status === 'failed' &&
      (await this.refunds.moveStatus(refund.id, ['pending', 'processed'], 'failed'))
    ) {
      if (countsTowardsOrder) await this.applyToOrder(order, -refund.amount, source);
    }
  }

  /** Compare-and-set on amountRefunded, so concurrent refunds add up exactly. */
  private async applyToOrder(
    order: OrderDocument,
    delta: number,
    source: TransitionSource,
  ): Promise<void> {
    let current: OrderDocument | null = order;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current; attempt++) {
      const refunded = current.amountRefunded + delta;
      const to =
        refunded >= current.amount ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
      const note = delta >= 0 ? `refunded ${delta} paise` : `refund of ${-delta} paise failed`;
      const moved = await this.state.transition(current, to, {
        source,
        note,
        from: ['paid', 'partially_refunded', 'refunded'],
        inc: { amountRefunded: delta },
        guard: { amountRefunded: current.amountRefunded },
      });
      if (moved) return;
      current = await this.orders.findById(order._id);
    }
    this.logger.error(`order ${order.id}: could not apply refund change of ${delta} paise`);
  }

  /**
   * Money flagged for refund (late, duplicate or wrong-amount payments) is returned first, while any
   * of it is left; then the order's own payment, if the order is paid.
   */
  private async refundTarget(
    order: OrderDocument,
  ): Promise<{ paymentId: string; remaining: number }> {
    const flagged = order.refundRequired ? order.refundRequiredPaymentId : null;
    if (flagged && flagged !== order.paymentId) {
      const payment = await this.payments.findById(flagged);
      const remaining = (payment?.amount ?? 0) - (await this.refunds.refundedForPayment(flagged));
      if (remaining > 0) return { paymentId: flagged, remaining };
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
