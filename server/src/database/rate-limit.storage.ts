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

/**
 * @nestjs/throttler storage in the database, so a limit holds across all instances behind the
 * load balancer instead of per process. Fixed windows: one atomic upsert-and-increment of the
 * window's counter per request (`{key}:{window start}`), old windows swept now and then.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

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
    const expiresAt = new Date(windowStart + ttl);
    const id = `${throttlerName}:${key}:${windowStart}`;
    const window = await this.hit(id, expiresAt);
    this.sweep(now);
    const timeToExpire = Math.ceil((expiresAt.getTime() - now) / 1000);
    const isBlocked = window.hits > limit;
    return {
      totalHits: window.hits,
      timeToExpire,
      isBlocked,
      // Blocked until the window ends, or for blockDuration when that is longer.
      timeToBlockExpire: isBlocked ? Math.max(timeToExpire, Math.ceil(blockDuration / 1000)) : 0,
    };
  }

  private async hit(id: string, expiresAt: Date): Promise<{ hits: number }> {
    const update = () =>
      this.windows
        .findOneAndUpdate(
          { _id: id },
          { $inc: { hits: 1 }, $setOnInsert: { expiresAt } },
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
    void this.windows
      .deleteMany({ expiresAt: { $lt: new Date(now) } })
      .exec()
      .catch(() => undefined);
  }
}

@Module({
  imports: [
    MongooseModule.forFeature([{ name: RateLimitWindow.name, schema: RateLimitWindowSchema }]),
  ],
  providers: [DatabaseThrottlerStorage],
  exports: [DatabaseThrottlerStorage],
})
export class RateLimitStorageModule {}
