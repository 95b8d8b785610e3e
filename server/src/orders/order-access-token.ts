import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * A guest's key to one order, derived from the order id with the server secret: nothing to store,
 * and an idempotent replay can hand out the same token again.
 */
@Injectable()
export class OrderAccessTokens {
  constructor(private readonly config: AppConfig) {}

  issue(orderId: string): string {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`order-access:${orderId}`)
      .digest('base64url');
  }

  isValid(orderId: string, token: string | undefined): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.issue(orderId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
