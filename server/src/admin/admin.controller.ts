import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireAuth } from '../auth/authenticated-user';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { AdminOrdersQueryDto, OrderPage } from '../orders/dto/order.dto';
import { WebhooksService } from '../webhooks/webhooks.service';
import { AdminService } from './admin.service';
import {
  AdminOrderDetailResponse,
  CreateRefundDto,
  ReplayResponse,
  WebhookEventPage,
  WebhookEventsQueryDto,
} from './dto/admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@RequireAuth('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** All orders, newest first, filtered by status, customer email and creation time. */
  @Get('orders')
  orders(@Query() query: AdminOrdersQueryDto): Promise<OrderPage> {
    return this.admin.list(query);
  }

  /** One order with its payments, refunds and webhook events. */
  @Get('orders/:id')
  order(@Param('id', ObjectIdPipe) id: string): Promise<AdminOrderDetailResponse> {
    return this.admin.detail(id);
  }

  /** Full or partial refund through Razorpay (sent with X-Refund-Idempotency). */
  @Post('orders/:id/refunds')
  refund(
    @Param('id', ObjectIdPipe) id: string,
    @Body() dto: CreateRefundDto,
  ): Promise<AdminOrderDetailResponse> {
    return this.admin.refund(id, dto.amount);
  }

  /** Asks Razorpay about this order's payments now and settles it if paid. */
  @Post('orders/:id/reconcile')
  @HttpCode(HttpStatus.OK)
  reconcile(@Param('id', ObjectIdPipe) id: string): Promise<AdminOrderDetailResponse> {
    return this.admin.reconcile(id);
  }

  @Get('webhook-events')
  webhookEvents(@Query() query: WebhookEventsQueryDto): Promise<WebhookEventPage> {
    return this.admin.listWebhookEvents(query);
  }

  /** Processes a stored event again through the same idempotent path. */
  @Post('webhook-events/:id/replay')
  @HttpCode(HttpStatus.OK)
  replay(@Param('id') id: string): Promise<ReplayResponse> {
    return this.webhooks.replay(id);
  }
}
