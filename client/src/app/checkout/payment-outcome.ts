import { Order } from '../api/api-types';
import { PaymentFailure } from './payment-messages';

export type PaymentOutcome = 'paid' | 'closed' | 'failed' | 'pending';

/** The order's status decides paid and closed; paymentState tells a failed attempt from one in flight. */
export function paymentOutcome(order: Order): PaymentOutcome {
  switch (order.status) {
    case 'paid':
    case 'partially_refunded':
    case 'refunded':
      return 'paid';
    case 'expired':
    case 'cancelled':
      return 'closed';
    default:
      return order.paymentState === 'failed' ? 'failed' : 'pending';
  }
}

/** Identifies a failure report, so an old one is never taken for the answer to a newer attempt. */
export function failureKey(failure: PaymentFailure | null | undefined): string {
  return failure
    ? `${failure.reason ?? ''}|${failure.code ?? ''}|${failure.description ?? ''}`
    : '';
}
