import { ExecutionContext, SetMetadata } from '@nestjs/common';

export type RateLimitName = 'auth' | 'orders';
const RATE_LIMIT_KEY = 'shop:rateLimit';

/** Puts a route (or controller) under a named limit; routes without it, like webhooks, are not limited. */
export const RateLimit = (name: RateLimitName) => SetMetadata(RATE_LIMIT_KEY, name);

export function isRateLimitedBy(context: ExecutionContext, name: RateLimitName): boolean {
  const onHandler = Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler()) as unknown;
  const onClass = Reflect.getMetadata(RATE_LIMIT_KEY, context.getClass()) as unknown;
  return (onHandler ?? onClass) === name;
}
