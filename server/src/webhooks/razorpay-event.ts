import { RazorpayPaymentEntity, RazorpayRefundEntity } from '../razorpay/razorpay.types';

/** Razorpay's webhook envelope; payload entities are snapshots from when the event happened. */
export interface RazorpayEvent {
  entity: 'event';
  account_id?: string;
  event: string;
  contains: string[];
  payload: {
    payment?: { entity: RazorpayPaymentEntity };
    order?: { entity: { id: string } };
    refund?: { entity: RazorpayRefundEntity };
  };
  created_at: number;
}

export function parseRazorpayEvent(rawBody: Buffer): RazorpayEvent | null {
  try {
    const parsed = JSON.parse(rawBody.toString('utf8')) as Partial<RazorpayEvent>;
    return typeof parsed?.event === 'string' && typeof parsed.payload === 'object' && parsed.payload
      ? (parsed as RazorpayEvent)
      : null;
  } catch {
    return null;
  }
}

/** The Razorpay order an event is about, for linking events to our orders. */
export function razorpayOrderIdOf(event: RazorpayEvent): string | null {
  return event.payload.payment?.entity.order_id ?? event.payload.order?.entity.id ?? null;
}
