import { newId } from './ids';
import { validation } from './errors';

export const API_FAULTS = [
  'latency',
  'hang',
  'error',
  'rate_limit',
  'commit_then_error',
  'commit_then_drop',
] as const;
export const WEBHOOK_FAULTS = [
  'duplicate',
  'reorder',
  'drop',
  'delay',
  'late_authorization',
  'refund_failed',
] as const;
export type ApiFaultType = (typeof API_FAULTS)[number];
export type WebhookFaultType = (typeof WEBHOOK_FAULTS)[number];
export type FaultType = ApiFaultType | WebhookFaultType;

export interface Fault {
  id: string;
  target: 'api' | 'webhooks';
  type: FaultType;
  count: number;
  remaining: number;
  delayMs: number | null;
  status: number | null;
  match: string | null;
  created_at: number;
}

const DEFAULT_DELAY_MS: Partial<Record<FaultType, number>> = {
  latency: 1000,
  delay: 1000,
  late_authorization: 1000,
};

/** Armed faults for the next N matching calls or deliveries, consumed oldest first. */
export class FaultStore {
  private faults: Fault[] = [];

  add(raw: unknown): Fault {
    if (!raw || typeof raw !== 'object')
      throw validation('The request body must be a JSON object.');
    const body = raw as Record<string, unknown>;
    const target = body.target;
    if (target !== 'api' && target !== 'webhooks') {
      throw validation('target must be "api" or "webhooks"', 'target');
    }
    const allowed: readonly string[] = target === 'api' ? API_FAULTS : WEBHOOK_FAULTS;
    if (typeof body.type !== 'string' || !allowed.includes(body.type)) {
      throw validation(`type must be one of ${allowed.join(', ')} for target ${target}`, 'type');
    }
    const type = body.type as FaultType;
    // Reordering one event is a no-op, so `reorder` defaults to a pair.
    const count = body.count ?? (type === 'reorder' ? 2 : 1);
    if (!Number.isInteger(count) || (count as number) < 1) {
      throw validation('count must be a positive integer', 'count');
    }
    const delayMs = body.delayMs ?? DEFAULT_DELAY_MS[type] ?? null;
    if (delayMs !== null && (!Number.isInteger(delayMs) || (delayMs as number) < 0)) {
      throw validation('delayMs must be a non-negative integer', 'delayMs');
    }
    const status =
      body.status ??
      (type === 'error' || type === 'commit_then_error' ? 500 : type === 'rate_limit' ? 429 : null);
    if (
      status !== null &&
      (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)
    ) {
      throw validation('status must be an HTTP error status', 'status');
    }
    if (body.match !== undefined && typeof body.match !== 'string') {
      throw validation('match must be a string', 'match');
    }
    const fault: Fault = {
      id: newId('fault'),
      target,
      type,
      count: count as number,
      remaining: count as number,
      delayMs: delayMs as number | null,
      status: status as number | null,
      match: (body.match as string | undefined) ?? null,
      created_at: Math.floor(Date.now() / 1000),
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The oldest armed fault of one of `types` whose `match` is contained in `key`, without consuming it. */
  peek(target: Fault['target'], types: readonly FaultType[], key: string): Fault | undefined {
    return this.faults.find(
      (f) =>
        f.target === target &&
        types.includes(f.type) &&
        f.remaining > 0 &&
        (f.match === null || key.includes(f.match)),
    );
  }

  /** Consumes one use of the matching fault, if any. */
  take(target: Fault['target'], types: readonly FaultType[], key: string): Fault | undefined {
    const fault = this.peek(target, types, key);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}
