import { IsString, Matches, MaxLength } from 'class-validator';

/** Razorpay Checkout's handler response, posted as it is. */
export class VerifyPaymentDto {
  @IsString() @MaxLength(64) razorpay_order_id: string;
  @IsString() @MaxLength(64) razorpay_payment_id: string;
  @Matches(/^[0-9a-f]{64}$/i, { message: 'razorpay_signature must be a hex HMAC-SHA256' })
  razorpay_signature: string;
}
