import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** Checks Razorpay's checkout and webhook signatures in constant time. */
@Injectable()
export class SignatureService {
  constructor(private readonly config: AppConfig) {}

  /** Checkout: HMAC(order_id|payment_id) with the key secret, using the order id WE stored. */
  isValidPayment(storedRazorpayOrderId: string, paymentId: string, signature: string): boolean {
    return matches(
      `${storedRazorpayOrderId}|${paymentId}`,
      signature,
      this.config.razorpay.keySecret,
    );
  }

  /** Webhooks: HMAC over the exact bytes received, with any active webhook secret (rotation). */
  isValidWebhook(rawBody: Buffer, signature: string): boolean {
    return this.config.razorpay.webhookSecrets.some((secret) =>
      matches(rawBody, signature, secret),
    );
  }
}

function matches(payload: string | Buffer, signature: string, secret: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(payload).digest();
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}
