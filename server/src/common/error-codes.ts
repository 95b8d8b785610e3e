import { HttpStatus } from '@nestjs/common';

/** Every domain error the API can answer with, and its HTTP status: one table, one place. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  PAYMENT_SIGNATURE_INVALID: HttpStatus.BAD_REQUEST,
  PAYMENT_NOT_CONFIRMED: HttpStatus.BAD_REQUEST,
  REFUND_NOT_ALLOWED: HttpStatus.CONFLICT,
  REFUND_AMOUNT_INVALID: HttpStatus.BAD_REQUEST,
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  AUTH_REQUIRED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  PRODUCT_NOT_FOUND: HttpStatus.NOT_FOUND,
  ORDER_NOT_FOUND: HttpStatus.NOT_FOUND,
  WEBHOOK_EVENT_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** The event's raw body was pruned after WEBHOOK_RETENTION_DAYS: nothing left to replay. */
  WEBHOOK_EVENT_PRUNED: HttpStatus.CONFLICT,
  EMAIL_TAKEN: HttpStatus.CONFLICT,
  OUT_OF_STOCK: HttpStatus.CONFLICT,
  PRODUCT_UNAVAILABLE: HttpStatus.CONFLICT,
  IDEMPOTENCY_CONFLICT: HttpStatus.CONFLICT,
  WEBHOOK_SIGNATURE_INVALID: HttpStatus.BAD_REQUEST,
  RAZORPAY_ERROR: HttpStatus.BAD_GATEWAY,
  DATABASE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  WEBHOOK_PROCESSING_FAILED: HttpStatus.SERVICE_UNAVAILABLE,
  /** Another delivery of the same event holds its lease: Razorpay must deliver it again later. */
  WEBHOOK_IN_PROGRESS: HttpStatus.CONFLICT,
  /** Razorpay refused the request because of what was asked (e.g. an amount over the maximum). */
  RAZORPAY_REJECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  STOCK_INSUFFICIENT: HttpStatus.CONFLICT,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
