import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { RequireAuth } from '../auth/authenticated-user';
import { parseIdempotencyKey } from '../common/idempotency-key';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { AdminOrderPage, AdminOrdersQueryDto } from '../orders/dto/order.dto';
import { WebhooksService } from '../webhooks/webhooks.service';
import { AdminService } from './admin.service';
import {
  AdminOrderDetailResponse,
  CreateRefundDto,
  RefundCreatedResponse,
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

  /**
   * All orders, newest first, filtered by status, customer email, order number and creation time.
   * Pages with a cursor: pass the answer's `nextBefore` as `before` for the next page (null on the
   * last). `total` counts up to 1,000 matches (`totalCapped` then true).
   */
  @Get('orders')
  orders(@Query() query: AdminOrdersQueryDto): Promise<AdminOrderPage> {
    return this.admin.list(query);
  }

  /** One order with its payments, refunds and webhook events. */
  @Get('orders/:id')
  order(@Param('id', ObjectIdPipe) id: string): Promise<AdminOrderDetailResponse> {
    return this.admin.detail(id);
  }

  /**
   * Full or partial refund through Razorpay. Send an `Idempotency-Key`: a retry with the same key
   * (after a timeout, a 5xx or a crash) returns the same refund and never makes a second one at
   * Razorpay. Without the header every request is a new refund. 503 means Razorpay's answer is not
   * known yet: retry with the same key.
   */
  @Post('orders/:id/refunds')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Any unique string per intended refund (e.g. a UUID); reuse it to retry.',
    example: 'refund-2026-12-02-0001',
  })
  refund(
    @Param('id', ObjectIdPipe) id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<RefundCreatedResponse> {
    return this.admin.refund(id, {
      amount: dto.amount,
      paymentId: dto.paymentId,
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
    });
  }

  /** Asks Razorpay about this order's payments now and settles it if paid. */
  @Post('orders/:id/reconcile')
  @HttpCode(HttpStatus.OK)
  reconcile(@Param('id', ObjectIdPipe) id: string): Promise<AdminOrderDetailResponse> {
    return this.admin.reconcile(id);
  }

  /** Stored webhook deliveries, newest first; pages like the order list (`before`, `nextBefore`). */
  @Get('webhook-events')
  webhookEvents(@Query() query: WebhookEventsQueryDto): Promise<WebhookEventPage> {
    return this.admin.listWebhookEvents(query);
  }

  /**
   * Processes a stored event again through the same idempotent path: 409
   * `WEBHOOK_EVENT_PRUNED` once its raw body is past `WEBHOOK_RETENTION_DAYS`.
   */
  @Post('webhook-events/:id/replay')
  @HttpCode(HttpStatus.OK)
  replay(@Param('id') id: string): Promise<ReplayResponse> {
    return this.webhooks.replay(id);
  }
}
