import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiProperty({ enum: ['up', 'down'] }) db: 'up' | 'down';
  uptimeSeconds: number;
}

/** What the storefront needs to open Razorpay Checkout; never a secret. */
export class PublicConfigResponse {
  razorpayKeyId: string;
  /** The sandbox's checkout.js, or Razorpay's in live mode. */
  checkoutScriptUrl: string;
  @ApiProperty({ enum: ['INR'] }) currency: 'INR';
  @ApiProperty({ enum: ['sandbox', 'live'] }) mode: 'sandbox' | 'live';
}
