import { Injectable, Module } from '@nestjs/common';
import { InjectModel, MongooseModule, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../common/duplicate-key';

/** One counter per client, limit and time window; shared by every instance on the database. */
@Schema({ collection: 'rate_limits', versionKey: false })
export class RateLimitWindow {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) hits!: number;
  @Prop({ required: true }) expiresAt!: Date;
}
export const RateLimitWindowSchema = SchemaFactory.createForClass(RateLimitWindow);
RateLimitWindowSchema.index({ expiresAt: 1 });

const SWEEP_EVERY_MS = 60_000;
/** The most a lease takes at once: what other instances can be short of at a window's end. */
const MAX_LEASE = 64;

/** Counts this instance took from a window's shared counter, and how many it has not used yet. */
interface Lease {
  expiresAt: number;
  /** Admissions left to give without asking the database. */
  tokens: number;
  /** The size of the last lease taken; the next one doubles it, up to maxLease(limit). */
  size: number;
  /** The shared counter as last seen (after this instance's leases). */
  counted: number;
  /** The counter passed the limit: nobody is admitted again in this window. */
  exhausted: boolean;
}

/**
 * @nestjs/throttler storage in the database, so a limit holds across all instances behind the
 * load balancer instead of per process. Fixed windows with one shared counter each
 * (`{key}:{window start}`, old windows swept now and then).
 *
 * An instance takes counts in leases: one atomic increment by n gives it n admissions to hand out
 * locally, of which only those at or below the limit count. The limit is therefore never exceeded
 * across instances, and a busy client costs a write per lease instead of per request. Leases
 * start at 1 and double while a client keeps coming back, capped at a sixteenth of the limit
 * (and MAX_LEASE), so what one instance holds unused — admissions another instance cannot give
 * that client before the window ends — stays small; limits under 32 are counted one by one.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;
  private readonly leases = new Map<string, Lease>();
  /** The lease being taken for a window, and how many requests wait for it. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, number>();

  constructor(
    @InjectModel(RateLimitWindow.name) private readonly windows: Model<RateLimitWindow>,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const windowStart = now - (now % ttl);
    const expiresAt = windowStart + ttl;
    const id = `${throttlerName}:${key}:${windowStart}`;
    this.sweep(now);
    const admitted = this.admitFromLease(id) || (await this.takeLease(id, expiresAt, limit));
    const lease = this.leases.get(id)!;
    const timeToExpire = Math.ceil((expiresAt - now) / 1000);
    return {
      totalHits: admitted ? lease.counted - lease.tokens : limit + 1,
      timeToExpire,
      isBlocked: !admitted,
      // Blocked until the window ends, or for blockDuration when that is longer.
      timeToBlockExpire: admitted ? 0 : Math.max(timeToExpire, Math.ceil(blockDuration / 1000)),
    };
  }

  /** Admits from what this instance already holds; false when it holds nothing for the window. */
  private admitFromLease(id: string): boolean {
    const lease = this.leases.get(id);
    if (!lease || lease.tokens === 0) return false;
    lease.tokens--;
    return true;
  }

  /**
   * Waits for this instance's next lease of the window, one at a time, so a burst from one client
   * costs one write rather than one per request in flight; true once this request is admitted.
   */
  private async takeLease(id: string, expiresAt: number, limit: number): Promise<boolean> {
    for (;;) {
      if (this.leases.get(id)?.exhausted) return false;
      this.waiting.set(id, (this.waiting.get(id) ?? 0) + 1);
      let pending = this.pending.get(id);
      if (!pending) {
        pending = this.lease(id, expiresAt, limit).finally(() => this.pending.delete(id));
        this.pending.set(id, pending);
      }
      try {
        await pending;
      } finally {
        const left = this.waiting.get(id)! - 1;
        if (left === 0) this.waiting.delete(id);
        else this.waiting.set(id, left);
      }
      if (this.admitFromLease(id)) return true;
    }
  }

  /** One increment of the shared counter by the lease's size: enough for every request waiting. */
  private async lease(id: string, expiresAt: number, limit: number): Promise<void> {
    const before = this.leases.get(id);
    const grown = before ? before.size * 2 : 1;
    const size = Math.min(maxLease(limit), Math.max(grown, this.waiting.get(id) ?? 1));
    const { hits } = await this.hit(id, new Date(expiresAt), size);
    // Of the counts hits - size + 1 … hits, those at or below the limit are admissions.
    const granted = Math.max(0, Math.min(size, limit - (hits - size)));
    const lease = this.leases.get(id) ?? {
      expiresAt,
      tokens: 0,
      size,
      counted: 0,
      exhausted: false,
    };
    lease.tokens += granted;
    lease.size = size;
    lease.counted = Math.max(lease.counted, hits);
    lease.exhausted ||= granted < size;
    this.leases.set(id, lease);
  }

  private async hit(id: string, expiresAt: Date, by: number): Promise<{ hits: number }> {
    const update = () =>
      this.windows
        .findOneAndUpdate(
          { _id: id },
          { $inc: { hits: by }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after', lean: true },
        )
        .exec();
    try {
      return (await update())!;
    } catch (error) {
      // Two first hits of a window raced to insert it: the loser increments the winner's.
      if (!isDuplicateKeyError(error)) throw error;
      return (await update())!;
    }
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(id);
    void this.windows
      .deleteMany({ expiresAt: { $lt: new Date(now) } })
      .exec()
      .catch(() => undefined);
  }
}

function maxLease(limit: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / 16)));
}

@Module({
  imports: [
    MongooseModule.forFeature([{ name: RateLimitWindow.name, schema: RateLimitWindowSchema }]),
  ],
  providers: [DatabaseThrottlerStorage],
  exports: [DatabaseThrottlerStorage],
})
export class RateLimitStorageModule {}
