import { SANDBOX_ACCOUNT_ID } from '../defaults';
import { nowSeconds } from '../entities';
import { newId } from '../ids';

export const WEBHOOK_EVENTS = [
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
  'refund.created',
  'refund.processed',
  'refund.failed',
  'refund.speed_changed',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** Entity snapshots (already serialised to their public JSON) an event carries. */
export interface EventEntities {
  payment: Record<string, unknown>;
  order?: Record<string, unknown>;
  refund?: Record<string, unknown>;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  ok: boolean;
  duration_ms: number;
  error?: string;
  /** 2 for the extra copy of a `duplicate` fault. */
  copy?: number;
  resend?: boolean;
}

export type EventStatus =
  'pending' | 'held' | 'delivered' | 'failed' | 'not_sent' | 'not_subscribed';

/** What the `razorpay` delivery profile decided for an event (from the seeded PRNG). */
export interface DeliveryPlan {
  duplicate: boolean;
  /** Real ms the first attempt was held back so later events could overtake it. */
  hold_ms: number;
  /** Real ms after the event when the duplicate's second copy goes out (0 without one). */
  copy_at_ms: number;
}

export interface EventRecord {
  id: string;
  event: WebhookEventName;
  order_id: string | null;
  payment_id: string | null;
  refund_id: string | null;
  created_at: number;
  status: EventStatus;
  attempts: DeliveryAttempt[];
  /** Set in the `razorpay` profile. */
  plan?: DeliveryPlan;
  /** The exact bytes sent (and signed) on every attempt. */
  body: string;
}

function contains(event: WebhookEventName): string[] {
  if (event === 'order.paid') return ['payment', 'order'];
  if (event.startsWith('refund.')) return ['refund', 'payment'];
  return ['payment'];
}

/**
 * PHP's json_encode escapes "/" and non-ASCII; mirroring it means a receiver that re-serialises
 * the parsed body instead of hashing the raw bytes fails here just as it would in production.
 */
function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function buildEvent(event: WebhookEventName, entities: EventEntities): EventRecord {
  const payload: Record<string, { entity: Record<string, unknown> }> = {};
  if (entities.refund) payload.refund = { entity: entities.refund };
  payload.payment = { entity: entities.payment };
  if (entities.order) payload.order = { entity: entities.order };
  const createdAt = nowSeconds();
  const envelope = {
    entity: 'event',
    account_id: SANDBOX_ACCOUNT_ID,
    event,
    contains: contains(event),
    payload,
    created_at: createdAt,
  };
  return {
    // Event-id format is UNCONFIRMED (razorpay.md §12.2); `evt_` + 14 base62 chars here.
    id: newId('evt'),
    event,
    order_id: (entities.payment.order_id as string | null) ?? null,
    payment_id: (entities.payment.id as string | null) ?? null,
    refund_id: (entities.refund?.id as string | undefined) ?? null,
    created_at: createdAt,
    status: 'pending',
    attempts: [],
    body: phpJson(envelope),
  };
}

/** Public view for `GET /_sandbox/events`. */
export function eventJson(e: EventRecord): Record<string, unknown> {
  const { body, ...rest } = e;
  return { ...rest, payload: JSON.parse(body) };
}
