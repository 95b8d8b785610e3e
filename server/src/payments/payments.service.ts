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
      outcome:
        settled.status === 'pending' && settled.confirmingPaymentId ? 'confirming' : settled.status,
    });
    return this.ordersService.view(settled);
  }

  /**
   * Settles on Razorpay's answer only. When Razorpay cannot be asked (timeout, network, 5xx, 429)
   * the signature proves at most an authorisation, so the order stays pending and shows
   * `confirming`; the webhooks or the reconciler settle it.
   */
  private async settleConfirmed(order: OrderDocument, paymentId: string): Promise<OrderDocument> {
    let payment: RazorpayPaymentEntity;
    try {
      payment = await this.razorpay.fetchPayment(paymentId);
    } catch (error) {
      if (!(error instanceof RazorpayError) || error.kind === 'rejected') throw error;
      this.logger.warn(`order ${order.id}: Razorpay unreachable, payment ${paymentId} confirming`);
      return (await this.orders.markConfirming(order._id, paymentId)) ?? order;
    }
    if (payment.order_id !== order.razorpayOrderId) {
      throw new DomainException(
        'PAYMENT_NOT_CONFIRMED',
        'This payment belongs to a different order',
      );
    }
    const settled = (await this.settlement.apply(payment, 'verify')) ?? order;
    if (payment.status === 'failed') {
      throw new DomainException('PAYMENT_NOT_CONFIRMED', 'Razorpay reports this payment as failed');
    }
    if (payment.status === 'created' && settled.status === 'pending') {
      // Still in progress at Razorpay (e.g. a UPI collect request not yet approved).
      return (await this.orders.markConfirming(order._id, paymentId)) ?? settled;
    }
    return settled;
  }
}
