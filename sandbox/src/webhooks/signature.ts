import { createHmac } from 'node:crypto';

/** Hex HMAC-SHA256, the scheme of both checkout and webhook signatures (razorpay.md §5, §6.1). */
export const hmacHex = (payload: string | Buffer, secret: string): string =>
  createHmac('sha256', secret).update(payload).digest('hex');
