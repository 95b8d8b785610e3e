import { WEBHOOK_BASE_RETRY_DELAY_MS } from '../defaults';
import type { FaultStore } from '../faults';
import type { Scheduler } from '../scheduler';
import type { SandboxSettings } from '../settings';
import type { DeliveryAttempt, EventRecord } from './events';
import { hmacHex } from './signature';

export interface DeliveryConfig {
  secret: string;
  timeScale: number;
  maxAttempts: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export interface EndpointState {
  url: string | null;
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  /** Subscribed event names; null = every event. */
  events: string[] | null;
}

/** What delivery reads from the settings on every event. */
export type ProfileSettings = Pick<
  SandboxSettings,
  'deliveryProfile' | 'duplicateRate' | 'reorderRate' | 'reorderWindowMs'
>;

const MAX_EVENTS = 10_000;

interface ChainOptions {
  copy?: number;
  resend?: boolean;
  /** Faults only apply to original deliveries, never to manual resends. */
  faults: boolean;
}

/**
 * Delivers events at-least-once like Razorpay: one independent retry chain per event, exponential
 * backoff, and the endpoint disabled once an event runs out of attempts. In the `razorpay`
 * profile a seeded share of events is also delivered twice, and a share held back for up to
 * `reorderWindowMs` so later events overtake it (razorpay.md §6.4).
 */
export class WebhookDelivery {
  private readonly events: EventRecord[] = [];
  private readonly byId = new Map<string, EventRecord>();
  private readonly endpoint: EndpointState = {
    url: null,
    enabled: true,
    disabled_at: null,
    disabled_reason: null,
    events: null,
  };
  private readonly inFlight = new Set<AbortController>();
  /** First attempts and retries under way, so a flush can wait for them. */
  private readonly running = new Set<Promise<void>>();
  private reorderHeld: EventRecord[] = [];
  private closed = false;

  constructor(
    private readonly cfg: DeliveryConfig,
    private readonly faults: FaultStore,
    private readonly scheduler: Scheduler,
    private readonly profile: () => ProfileSettings,
    private readonly random: () => number,
  ) {}

  getEndpoint(): EndpointState {
    return { ...this.endpoint, events: this.endpoint.events && [...this.endpoint.events] };
  }

  setEndpoint(patch: {
    url?: string | null;
    enabled?: boolean;
    events?: string[] | null;
  }): EndpointState {
    if (patch.url !== undefined) this.endpoint.url = patch.url;
    if (patch.events !== undefined) this.endpoint.events = patch.events && [...patch.events];
    if (patch.enabled === true) {
      this.endpoint.enabled = true;
      this.endpoint.disabled_at = null;
      this.endpoint.disabled_reason = null;
    } else if (patch.enabled === false) {
      this.disable('disabled via PUT /_sandbox/endpoint');
    }
    return this.getEndpoint();
  }

  list(filter: { order_id?: string; event?: string } = {}): EventRecord[] {
    return this.events.filter(
      (e) =>
        (!filter.order_id || e.order_id === filter.order_id) &&
        (!filter.event || e.event === filter.event),
    );
  }

  get(id: string): EventRecord | undefined {
    return this.byId.get(id);
  }

  /** Records an event and starts delivering it, applying the profile and armed webhook faults. */
  emit(ev: EventRecord): EventRecord {
    this.events.push(ev);
    this.byId.set(ev.id, ev);
    // Bounded history so a long-running dev sandbox does not grow without limit.
    if (this.events.length > MAX_EVENTS) this.byId.delete(this.events.shift()!.id);
    if (this.closed) return ev;
    const subscribed = this.endpoint.events;
    if (subscribed && !subscribed.includes(ev.event)) {
      ev.status = 'not_subscribed';
      this.cfg.log(`[razorpay-sandbox] ${ev.id} ${ev.event} not sent: endpoint not subscribed`);
      return ev;
    }
    const reorder = this.faults.take('webhooks', ['reorder'], ev.event);
    if (reorder) {
      ev.status = 'held';
      this.reorderHeld.push(ev);
      // The batch is complete once the fault is used up; then the newest goes out first.
      if (reorder.remaining === 0) this.releaseHeld();
      return ev;
    }
    const delay = this.faults.take('webhooks', ['delay'], ev.event);
    const duplicate = this.faults.take('webhooks', ['duplicate'], ev.event);
    const plan = this.plan(ev);
    const hold = Math.max(delay?.delayMs ?? 0, plan?.hold_ms ?? 0);
    // Both return their first attempt, which a flush awaits before the next effect.
    const copy = () => this.track(this.startChain(ev, { faults: true, copy: 2 }));
    const start = () => {
      if (ev.status === 'held') ev.status = 'pending';
      const first = this.track(this.startChain(ev, { faults: true }));
      return duplicate ? Promise.all([first, copy()]) : first;
    };
    if (delay || hold > 0) {
      ev.status = 'held';
      this.scheduler.schedule('delivery', hold, ev.id, start);
    } else start();
    // The profile's extra copy goes out on its own, at a random point of the window.
    if (plan?.duplicate) this.scheduler.schedule('delivery', plan.copy_at_ms, ev.id, copy);
    return ev;
  }

  /** Waits until the attempts under way have finished (retries stay scheduled). */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * The `razorpay` profile's seeded decisions for one event: always four draws, whatever the
   * rates, so one event's decisions never shift the next one's.
   */
  private plan(ev: EventRecord): EventRecord['plan'] {
    const p = this.profile();
    if (p.deliveryProfile !== 'razorpay') return undefined;
    const [dup, reorder, hold, copyAt] = [
      this.random(),
      this.random(),
      this.random(),
      this.random(),
    ];
    const plan = {
      duplicate: dup < p.duplicateRate,
      hold_ms: reorder < p.reorderRate ? 1 + Math.floor(hold * p.reorderWindowMs) : 0,
      copy_at_ms: dup < p.duplicateRate ? Math.floor(copyAt * p.reorderWindowMs) : 0,
    };
    ev.plan = plan;
    if (plan.duplicate || plan.hold_ms) {
      this.cfg.log(
        `[razorpay-sandbox] ${ev.id} ${ev.event} profile: ${plan.duplicate ? 'duplicated ' : ''}` +
          `${plan.hold_ms ? `held ${plan.hold_ms} ms` : ''}`,
      );
    }
    return plan;
  }

  private track(p: Promise<void>): Promise<void> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  /** Releases events held by a `reorder` fault, last first, each after the previous first attempt. */
  releaseHeld(): void {
    const batch = this.reorderHeld.reverse();
    this.reorderHeld = [];
    this.track(
      (async () => {
        for (const ev of batch) {
          ev.status = 'pending';
          await this.startChain(ev, { faults: true });
        }
      })(),
    );
  }

  /** Manual redelivery of the same event id and bytes; returns false when the endpoint is off. */
  resend(ev: EventRecord): boolean {
    if (!this.endpoint.enabled || !this.endpoint.url) return false;
    this.track(this.startChain(ev, { faults: false, resend: true }));
    return true;
  }

  /** The scheduler (cleared by the engine) holds every timer; this drops events and state. */
  reset(): void {
    this.abortInFlight();
    this.events.length = 0;
    this.byId.clear();
    this.reorderHeld = [];
    this.endpoint.enabled = true;
    this.endpoint.disabled_at = null;
    this.endpoint.disabled_reason = null;
    this.endpoint.events = null;
  }

  close(): void {
    this.closed = true;
    this.abortInFlight();
    this.reorderHeld = [];
  }

  private abortInFlight(): void {
    this.inFlight.forEach((c) => c.abort());
    this.inFlight.clear();
  }

  private disable(reason: string): void {
    if (!this.endpoint.enabled) return;
    this.endpoint.enabled = false;
    this.endpoint.disabled_at = new Date().toISOString();
    this.endpoint.disabled_reason = reason;
    this.cfg.log(`[razorpay-sandbox] webhook endpoint disabled: ${reason}`);
  }

  /** Runs attempt 1 and resolves when it finishes; later retries continue on timers. */
  private startChain(ev: EventRecord, opts: ChainOptions): Promise<void> {
    return this.attempt(ev, opts, 1);
  }

  private async attempt(ev: EventRecord, opts: ChainOptions, n: number): Promise<void> {
    if (this.closed) return;
    const { url, enabled } = this.endpoint;
    if (!url || !enabled) {
      if (ev.status !== 'delivered') ev.status = 'not_sent';
      this.cfg.log(
        `[razorpay-sandbox] ${ev.id} ${ev.event} not sent: ${url ? 'endpoint disabled' : 'no webhook URL'}`,
      );
      return;
    }
    const record = await this.send(ev, url, opts);
    ev.attempts.push(record);
    if (record.ok) {
      ev.status = 'delivered';
      return;
    }
    if (n >= this.cfg.maxAttempts) {
      if (ev.status !== 'delivered') ev.status = 'failed';
      this.disable(`event ${ev.id} failed ${n} delivery attempts`);
      return;
    }
    const delay = WEBHOOK_BASE_RETRY_DELAY_MS * 2 ** (n - 1) * this.cfg.timeScale;
    this.scheduler.schedule('retry', delay, ev.id, () => this.track(this.attempt(ev, opts, n + 1)));
  }

  private async send(ev: EventRecord, url: string, opts: ChainOptions): Promise<DeliveryAttempt> {
    const started = Date.now();
    const base = {
      at: new Date(started).toISOString(),
      ...(opts.copy ? { copy: opts.copy } : {}),
      ...(opts.resend ? { resend: true } : {}),
    };
    if (opts.faults && this.faults.take('webhooks', ['drop'], ev.event)) {
      this.cfg.log(`[razorpay-sandbox] ${ev.id} ${ev.event} dropped (fault)`);
      return { ...base, status: null, ok: false, duration_ms: 0, error: 'dropped (fault)' };
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.cfg.timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: ev.body,
        signal: controller.signal,
        // A 3xx is a failed delivery, as any non-2xx (razorpay.md §6.4); never follow it.
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'x-razorpay-signature': hmacHex(ev.body, this.cfg.secret),
          'x-razorpay-event-id': ev.id,
          'user-agent': 'Razorpay-Webhook/v1 (sandbox)',
        },
      });
      await res.arrayBuffer(); // the whole answer must arrive within the timeout
      const ok = res.status >= 200 && res.status < 300;
      this.cfg.log(`[razorpay-sandbox] ${ev.id} ${ev.event} → ${res.status}`);
      return { ...base, status: res.status, ok, duration_ms: Date.now() - started };
    } catch (err) {
      const error = controller.signal.aborted
        ? `timeout after ${this.cfg.timeoutMs} ms`
        : (err as Error).cause instanceof Error
          ? ((err as Error).cause as Error).message
          : (err as Error).message;
      this.cfg.log(`[razorpay-sandbox] ${ev.id} ${ev.event} failed: ${error}`);
      return { ...base, status: null, ok: false, duration_ms: Date.now() - started, error };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}
