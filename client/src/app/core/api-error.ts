import { HttpErrorResponse } from '@angular/common/http';
import { ApiError } from '../api/api-types';

/** A shopper-friendly message for any failed API call. */
export function apiErrorMessage(
  err: unknown,
  fallback = 'Something went wrong. Please try again.',
): string {
  if (err instanceof HttpErrorResponse) {
    if (err.status === 0)
      return 'We could not reach the shop. Check your connection and try again.';
    const body = err.error as Partial<ApiError> | null;
    if (body && typeof body === 'object' && body.message) {
      return Array.isArray(body.message) ? body.message.join('. ') : body.message;
    }
    if (err.status >= 500)
      return 'The shop is having trouble right now. Please try again in a moment.';
  }
  if (err instanceof Error && err.message) return err.message;
  return fallback;
}

export function httpStatus(err: unknown): number | null {
  return err instanceof HttpErrorResponse ? err.status : null;
}
