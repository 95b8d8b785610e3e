import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/domain.exception';
import { Page } from '../common/dto/page-query.dto';
import { AdminOrdersQueryDto, OrderResponse } from '../orders/dto/order.dto';
import { OrdersRepository } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { ReconcilerService } from '../payments/reconciler.service';
import { RefundsRepository } from '../payments/refunds.repository';
import { RefundsService } from '../payments/refunds.service';
import { WebhookEventsRepository } from '../webhooks/webhook-events.repository';
import { AdminOrderDetailResponse, WebhookEventPage, WebhookEventsQueryDto } from './dto/admin.dto';
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

  async list(query: AdminOrdersQueryDto): Promise<Page<OrderResponse>> {
    const { items, total } = await this.orders.listForAdmin(query, query.page, query.limit);
    return {
      items: items.map((o) => this.ordersService.view(o)),
      total,
      page: query.page,
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
      refundRequiredReason: order.refundRequiredReason,
      refundRequiredPaymentId: order.refundRequiredPaymentId,
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
    const { items, total } = await this.events.list(query, query.page, query.limit);
    return {
      items: items.map(toWebhookEventResponse),
      total,
      page: query.page,
      limit: query.limit,
    };
  }

  async refund(id: string, amount?: number): Promise<AdminOrderDetailResponse> {
    await this.refundsService.refundOrder(id, amount);
    return this.detail(id);
  }

  async reconcile(id: string): Promise<AdminOrderDetailResponse> {
    await this.reconciler.reconcileOne(id);
    return this.detail(id);
  }
}
