/** What a scheduled effect does; `POST /_sandbox/flush` can run them by kind. */
export const EFFECT_KINDS = [
  'capture',
  'authorized_expiry',
  'refund',
  'upi_collect',
  'late_authorization',
  'delivery',
  'retry',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** Flushed when no kinds are named: everything but the days-long authorisation expiry. */
export const DEFAULT_FLUSH_KINDS: readonly EffectKind[] = EFFECT_KINDS.filter(
  (k) => k !== 'authorized_expiry',
);

interface Effect {
  id: number;
  kind: EffectKind;
  /** What it is about: a payment, refund or event id. */
  subject: string;
  dueAt: number;
  timer: NodeJS.Timeout;
  run: () => unknown;
}

export interface EffectInfo {
  kind: EffectKind;
  subject: string;
  due_at: string;
}

/**
 * Every delayed sandbox effect goes through here, so a test can run them all now (`flush`) instead
 * of sleeping, and `reset`/`close` can drop them.
 */
export class Scheduler {
  private readonly effects = new Map<number, Effect>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Runs `run` after `ms` real milliseconds (or on flush). */
  schedule(kind: EffectKind, ms: number, subject: string, run: () => unknown): number {
    const id = this.nextId++;
    // setTimeout overflows above 2^31-1 ms (~24.8 days): longer delays are capped there.
    const delay = Math.min(Math.max(0, ms), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.effects.delete(id);
      if (!this.closed) Promise.resolve().then(run).catch(this.onError);
    }, delay);
    timer.unref();
    this.effects.set(id, { id, kind, subject, dueAt: Date.now() + ms, timer, run });
    return id;
  }

  /** Drops the pending effects of `kind` about `subject`. */
  cancel(kind: EffectKind, subject: string): void {
    for (const e of this.effects.values()) {
      if (e.kind === kind && e.subject === subject) {
        clearTimeout(e.timer);
        this.effects.delete(e.id);
      }
    }
  }

  list(): EffectInfo[] {
    return [...this.effects.values()].map(info);
  }

  /**
   * Runs the pending effects of `kinds` now, in due order, and then any such effects they
   * scheduled, round after round. Retries run in the first round only, so a receiver that keeps
   * failing cannot loop. `settle` is awaited after each round (deliveries in flight).
   */
  async flush(kinds: readonly EffectKind[], settle: () => Promise<void>): Promise<EffectInfo[]> {
    const ran: EffectInfo[] = [];
    for (let round = 0; round < 50; round++) {
      const due = [...this.effects.values()]
        .filter((e) => kinds.includes(e.kind) && (round === 0 || e.kind !== 'retry'))
        .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
      if (!due.length) break;
      // One after the other, each awaited (a delivery: its first attempt), so held events
      // reach the receiver in due order.
      for (const e of due) {
        if (!this.effects.has(e.id)) continue; // cancelled by an earlier effect
        clearTimeout(e.timer);
        this.effects.delete(e.id);
        ran.push(info(e));
        await Promise.resolve().then(e.run).catch(this.onError);
      }
      await settle();
    }
    await settle();
    return ran;
  }

  clear(): void {
    this.effects.forEach((e) => clearTimeout(e.timer));
    this.effects.clear();
  }

  close(): void {
    this.closed = true;
    this.clear();
  }
}

const info = (e: Effect): EffectInfo => ({
  kind: e.kind,
  subject: e.subject,
  due_at: new Date(e.dueAt).toISOString(),
});
