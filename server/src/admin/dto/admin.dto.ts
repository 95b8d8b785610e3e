import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { KeysetQueryDto } from '../../common/dto/page-query.dto';
import { OrderResponse } from '../../orders/dto/order.dto';
import {
  WEBHOOK_EVENT_STATUSES,
  WebhookEventStatus,
} from '../../webhooks/schemas/webhook-event.schema';

export class CreateRefundDto {
  /** Paise to refund; omit to refund everything not yet refunded. */
  @ApiProperty({ required: false, example: 10000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  amount?: number;
  /** A flagged payment of this order to refund instead of the order's own payment. */
  @IsOptional() @IsString() @Matches(/^pay_\w+$/) @MaxLength(40) paymentId?: string;
}

export class FlaggedPaymentResponse {
  paymentId: string;
  /** late_payment, duplicate_payment or amount_mismatch. */
  reason: string;
  amount: number;
  at: Date;
  /** Razorpay has accepted its refund. */
  refunded: boolean;
}

export class RefundIntentResponse {
  id: string;
  paymentId: string;
  amount: number;
  @ApiProperty({ enum: ['operator', 'flagged'] }) kind: 'operator' | 'flagged';
  /** open: Razorpay's answer not known yet (retry with the same Idempotency-Key). */
  @ApiProperty({ enum: ['open', 'done', 'rejected'] }) status: 'open' | 'done' | 'rejected';
  @ApiProperty({ type: String, nullable: true }) refundId: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class PaymentRecordResponse {
  id: string;
  status: string;
  amount: number;
  currency: string;
  method: string;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  lastSource: string;
}

export class RefundRecordResponse {
  id: string;
  paymentId: string;
  amount: number;
  status: string;
}

export class WebhookEventResponse {
  id: string;
  event: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_STATUSES }) status: WebhookEventStatus;
  @ApiProperty({ type: String, nullable: true }) razorpayOrderId: string | null;
  deliveries: number;
  attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  receivedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) processedAt: Date | null;
}

export class AdminOrderDetailResponse extends OrderResponse {
  /** The first open flag's reason: late_payment, duplicate_payment or amount_mismatch. */
  @ApiProperty({ type: String, nullable: true }) refundRequiredReason: string | null;
  @ApiProperty({ type: String, nullable: true }) refundRequiredPaymentId: string | null;
  /** Every payment the order could not take, each refunded on its own. */
  @ApiProperty({ type: [FlaggedPaymentResponse] }) flaggedPayments: FlaggedPaymentResponse[];
  failedVerifications: number;
  @ApiProperty({ type: [PaymentRecordResponse] }) payments: PaymentRecordResponse[];
  @ApiProperty({ type: [RefundRecordResponse] }) refunds: RefundRecordResponse[];
  @ApiProperty({ type: [WebhookEventResponse] }) webhookEvents: WebhookEventResponse[];
}

export class RefundCreatedResponse extends AdminOrderDetailResponse {
  /** The refund this request made (or, for a repeated Idempotency-Key, made earlier). */
  @ApiProperty({ type: RefundIntentResponse }) refundRequest: RefundIntentResponse;
}

export class WebhookEventsQueryDto extends KeysetQueryDto {
  @IsOptional() @IsIn(WEBHOOK_EVENT_STATUSES) status?: WebhookEventStatus;
  @IsOptional() @IsString() @MaxLength(64) event?: string;
}

/** Newest first; `nextBefore` for the next page. */
export class WebhookEventPage {
  @ApiProperty({ type: [WebhookEventResponse] }) items: WebhookEventResponse[];
  /** Matching events, counted up to 200. */
  total: number;
  /** True when there are at least `total` (200) matches and counting stopped there. */
  totalCapped: boolean;
  @ApiProperty({ type: String, nullable: true }) nextBefore: string | null;
  limit: number;
}

export class ReplayResponse {
  @ApiProperty({ enum: ['processed', 'duplicate'] }) status: 'processed' | 'duplicate';
}
