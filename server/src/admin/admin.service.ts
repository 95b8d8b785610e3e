import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { decodeCursor } from '../common/day-pages';
import { AdminOrderPage, AdminOrdersQueryDto } from '../orders/dto/order.dto';
import { OrdersRepository } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { ReconcilerService } from '../payments/reconciler.service';
import { RefundsRepository } from '../payments/refunds.repository';
import { RefundRequest, RefundsService } from '../payments/refunds.service';
import { openFlags } from '../orders/order.mapper';
import { WebhookEventsRepository } from '../webhooks/webhook-events.repository';
import {
  AdminOrderDetailResponse,
  RefundCreatedResponse,
  WebhookEventPage,
  WebhookEventsQueryDto,
} from './dto/admin.dto';
import { toWebhookEventResponse } from './webhook-event.mapper';

@Injectable()
export class AdminService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly ordersService: OrdersService,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly refundsService: RefundsService,
    private readonly reconciler: ReconcilerService,
  ) {}

  async list(query: AdminOrdersQueryDto): Promise<AdminOrderPage> {
    const page = await this.orders.listForAdmin(query, query.limit, decodeCursor(query.before));
    return {
      ...page,
      items: page.items.map((o) => this.ordersService.view(o)),
      limit: query.limit,
    };
  }

  async detail(id: string): Promise<AdminOrderDetailResponse> {
    const order = await this.orders.findById(id);
    if (!order) throw new DomainException('ORDER_NOT_FOUND', 'Order not found');
    const [payments, refunds, events] = await Promise.all([
      this.payments.findForOrder(order._id),
      this.refunds.findForOrder(order._id),
      this.events.findForRazorpayOrder(order.razorpayOrderId),
    ]);
    return {
      ...this.ordersService.view(order),
      refundRequiredReason: openFlags(order)[0]?.reason ?? null,
      refundRequiredPaymentId: openFlags(order)[0]?.paymentId ?? null,
      flaggedPayments: order.flaggedPayments.map((f) => ({
        paymentId: f.paymentId,
        reason: f.reason,
        amount: f.amount,
        at: f.at,
        refunded: order.refundedFlaggedPaymentIds.includes(f.paymentId),
      })),
      failedVerifications: order.failedVerifications,
      payments: payments.map((p) => ({
        id: p._id,
        status: p.status,
        amount: p.amount,
        currency: p.currency,
        method: p.method,
        errorCode: p.errorCode,
        lastSource: p.lastSource,
      })),
      refunds: refunds.map((r) => ({
        id: r._id,
        paymentId: r.paymentId,
        amount: r.amount,
        status: r.status,
      })),
      webhookEvents: events.map(toWebhookEventResponse),
    };
  }

  async listWebhookEvents(query: WebhookEventsQueryDto): Promise<WebhookEventPage> {
    const page = await this.events.list(query, query.limit, decodeCursor(query.before));
    return { ...page, items: page.items.map(toWebhookEventResponse), limit: query.limit };
  }

  async refund(id: string, request: RefundRequest): Promise<RefundCreatedResponse> {
    const intent = await this.refundsService.refundOrder(id, request);
    return {
      ...(await this.detail(id)),
      refundRequest: {
        id: intent._id,
        paymentId: intent.paymentId,
        amount: intent.amount,
        kind: intent.kind,
        status: intent.status,
        refundId: intent.refundId,
        error: intent.error,
      },
    };
  }

  async reconcile(id: string): Promise<AdminOrderDetailResponse> {
    await this.reconciler.reconcileOne(id);
    return this.detail(id);
  }
}
