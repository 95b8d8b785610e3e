import { DomainException } from './domain.exception';

const MAX_LENGTH = 255;

/** An `Idempotency-Key` header as sent: absent or empty means none; an over-long one is a 400. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  const key = header?.trim();
  if (!key) return undefined;
  if (key.length > MAX_LENGTH) {
    throw new DomainException(
      'VALIDATION_FAILED',
      `Idempotency-Key must be at most ${MAX_LENGTH} characters`,
    );
  }
  return key;
}
