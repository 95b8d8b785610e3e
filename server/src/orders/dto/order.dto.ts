import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDate,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { KeysetQueryDto } from '../../common/dto/page-query.dto';
import {
  ORDER_STATUSES,
  OrderStatus,
  PAYMENT_STATES,
  PaymentState,
  TransitionSource,
} from '../order-status';

export class OrderLineDto {
  @IsMongoId() productId: string;
  @IsInt() @Min(1) @Max(100) quantity: number;
}

export class CustomerDto {
  @IsString() @MinLength(1) @MaxLength(100) name: string;
  @IsEmail() @MaxLength(254) email: string;
  /** Indian mobile number, with or without +91. */
  @ApiProperty({ example: '+919876543210' })
  @Matches(/^(\+91[\s-]?)?[6-9]\d{9}$/, {
    message: 'contact must be an Indian mobile number (10 digits, optional +91)',
  })
  contact: string;
}

/** No price or amount fields: the server prices every order from the catalog (any such field is a 400). */
export class CreateOrderDto {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items: OrderLineDto[];
  // class-validator skips nested validation of `undefined`: a missing customer must be a 400.
  @IsDefined() @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
}

export class OrderItemResponse {
  productId: string;
  name: string;
  /** Integer paise. */
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  imageUrl: string;
}

export class OrderHistoryResponse {
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  at: Date;
  @ApiProperty({ enum: ['checkout', 'verify', 'webhook', 'reconciler', 'admin', 'expiry'] })
  source: TransitionSource;
  note?: string;
}

export class PaymentErrorResponse {
  code: string;
  description: string;
  reason: string;
}

export class OrderResponse {
  id: string;
  /** The number a person reads out on the phone; also Razorpay's `receipt`. */
  @ApiProperty({ example: 'DK-000123' }) orderNumber: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty({ type: [OrderItemResponse] }) items: OrderItemResponse[];
  /** Integer paise. */
  amount: number;
  amountRefunded: number;
  currency: string;
  customer: CustomerDto;
  razorpayOrderId: string;
  razorpayKeyId: string;
  /** Only in the response that created the order: the guest's key for X-Order-Token. */
  accessToken?: string;
  expiresAt: Date;
  @ApiProperty({ type: Date, nullable: true }) paidAt: Date | null;
  @ApiProperty({ type: PaymentErrorResponse, nullable: true })
  lastPaymentError: PaymentErrorResponse | null;
  /** True while a flagged payment (late, duplicate, wrong amount) waits for its refund. */
  refundRequired: boolean;
  /**
   * Where the shopper's payment stands. `confirming`: Razorpay has authorised a payment (or the
   * checkout reported one) but its capture is not confirmed yet; keep polling, the order is not
   * paid and not failed. `failed`: the last attempt failed and the order can still be paid.
   */
  @ApiProperty({ enum: PAYMENT_STATES }) paymentState: PaymentState;
  /** Pass as Razorpay Checkout's `timeout` (seconds): the modal closes before the order expires. */
  checkoutTimeoutSeconds: number;
  createdAt: Date;
  updatedAt: Date;
  @ApiProperty({ type: [OrderHistoryResponse] }) history: OrderHistoryResponse[];
}

export class OrderPage {
  @ApiProperty({ type: [OrderResponse] }) items: OrderResponse[];
  total: number;
  page: number;
  limit: number;
}

/** One page of the operator's order list: newest first, `nextBefore` for the next page. */
export class AdminOrderPage {
  @ApiProperty({ type: [OrderResponse] }) items: OrderResponse[];
  /** Matching orders, counted up to 200. */
  total: number;
  /** True when there are at least `total` (200) matches and counting stopped there. */
  totalCapped: boolean;
  @ApiProperty({ type: String, nullable: true }) nextBefore: string | null;
  limit: number;
}

export class AdminOrdersQueryDto extends KeysetQueryDto {
  @IsOptional() @IsIn(ORDER_STATUSES) status?: OrderStatus;
  @IsOptional() @IsEmail() email?: string;
  /** `DK-000123`, or just its digits (`123`). */
  @ApiProperty({ required: false, example: 'DK-000123' })
  @IsOptional()
  @Matches(/^(DK-)?\d{1,12}$/i, { message: 'orderNumber must look like DK-000123 or 123' })
  orderNumber?: string;
  /** ISO date-time: orders created at or after. */
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  /** ISO date-time: orders created at or before. */
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}
