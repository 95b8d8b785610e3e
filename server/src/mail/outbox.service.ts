import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Page } from '../common/dto/page-query.dto';
import { OrderAccessTokens } from '../orders/order-access-token';
import { OrderDocument } from '../orders/schemas/order.schema';
import { PaymentsRepository } from '../payments/payments.repository';
import { MailCatcherResponse, OutboxMessageResponse, OutboxQueryDto } from './dto/outbox.dto';
import { MailSender } from './mail-sender';
import { MailSettings } from './mail-settings';
import {
  MailContext,
  orderExpiredMail,
  orderPaidMail,
  paymentMethodLabel,
  refundMail,
  RenderedMail,
} from './mail-templates';
import { orderMailContext, toMailOrder } from './order-mail';
import { OutboxRepository } from './outbox.repository';
import { OutboxKind, OutboxMessageDocument } from './schemas/outbox-message.schema';

/** What the refund hook knows: Razorpay's refund entity (speed_processed when Razorpay sends it). */
export interface RefundFacts {
  id: string;
  amount: number;
  payment_id: string;
  speed_processed?: string;
}

/**
 * Records the mail an order owes its customer, once per `<orderId>:<kind>`: every racer that
 * pays, refunds or expires the order may call it. Recording never throws: a mail problem must
 * never fail a payment, and the reconciler step records a confirmation that is still missing.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
    private readonly settings: MailSettings,
    private readonly tokens: OrderAccessTokens,
    private readonly payments: PaymentsRepository,
  ) {}

  static paidId(orderId: string): string {
    return `${orderId}:paid`;
  }

  /** The order became paid (called by whoever won the transition, and by the reconciler step). */
  orderPaid(order: OrderDocument, payment: { method?: string | null }): Promise<void> {
    return this.record(order, 'paid', OutboxService.paidId(order.id as string), () =>
      orderPaidMail(toMailOrder(order), paymentMethodLabel(payment.method), this.context(order)),
    );
  }

  /** A refund was counted on the order (`order` is the order after counting it). */
  async refundCounted(order: OrderDocument, refund: RefundFacts): Promise<void> {
    const payment = await this.payments.findById(refund.payment_id).catch(() => null);
    return this.record(order, 'refund', `${order.id as string}:refund:${refund.id}`, () =>
      refundMail(
        toMailOrder(order),
        { amount: refund.amount, instant: refund.speed_processed === 'instant' },
        paymentMethodLabel(payment?.method),
        this.context(order),
      ),
    );
  }

  /** The order ended; mail only an order that expired after the customer tried to pay. */
  orderEnded(order: OrderDocument): Promise<void> {
    const attempted =
      order.lastPaymentError !== null ||
      order.confirmingPaymentId !== null ||
      order.failedVerifications > 0;
    if (order.status !== 'expired' || !attempted) return Promise.resolve();
    return this.record(order, 'expired', `${order.id as string}:expired`, () =>
      orderExpiredMail(toMailOrder(order), this.context(order)),
    );
  }

  async list(query: OutboxQueryDto): Promise<Page<OutboxMessageResponse>> {
    const { items, total } = await this.outbox.list(query, query.page, query.limit);
    return { items: items.map(toResponse), total, page: query.page, limit: query.limit };
  }

  catcher(): MailCatcherResponse {
    const inboxUrl = this.settings.catcherUrl;
    if (!inboxUrl) throw new NotFoundException('No mail catcher in this mode');
    return { inboxUrl };
  }

  async resend(id: string): Promise<OutboxMessageResponse> {
    const message = await this.outbox.resend(id, new Date());
    if (!message) throw new NotFoundException('Outbox message not found');
    this.logger.log(`outbox ${id}: resend requested`);
    this.sender.kick();
    return toResponse(message);
  }

  private async record(
    order: OrderDocument,
    kind: OutboxKind,
    id: string,
    render: () => RenderedMail,
  ): Promise<void> {
    try {
      const created = await this.outbox.insertOnce({
        _id: id,
        kind,
        orderId: order._id,
        orderNumber: order.orderNumber ?? '',
        to: order.customer.email,
        ...render(),
      });
      if (created) {
        this.logger.log(`outbox ${id}: recorded`);
        this.sender.kick();
      }
    } catch (error) {
      this.logger.error(`outbox ${id}: not recorded (${(error as Error).message})`);
    }
  }

  private context(order: OrderDocument): MailContext {
    return orderMailContext(order, this.settings, this.tokens);
  }
}

function toResponse(m: OutboxMessageDocument): OutboxMessageResponse {
  return {
    id: m._id,
    to: m.to,
    kind: m.kind,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    orderId: m.orderId.toHexString(),
    orderNumber: m.orderNumber,
  };
}
