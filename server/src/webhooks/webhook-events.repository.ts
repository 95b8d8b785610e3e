import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { DayPage, dayPage, FIRST_DAY, PageCursor } from '../common/day-pages';
import { dayBefore, daysBack, utcDay } from '../common/utc-day';
import {
  WebhookEvent,
  WebhookEventDocument,
  WebhookEventStatus,
} from './schemas/webhook-event.schema';
import { bulkWriteAll, insertEachOnce } from '../common/duplicate-key';
import { GroupCommit } from '../common/group-commit';

const LEASE_MS = 30_000;
/** Retention asks for at most a year of days in one query. */
const DAYS_PER_QUERY = 366;

/**
 * new/retry: this delivery applies the event. duplicate: already processed. busy: another delivery
 * holds the lease right now, so this one must not be acknowledged (it may yet fail). recorded:
 * the event changes nothing (NoEffect) and was stored as processed by this delivery.
 */
export type EventClaim = 'new' | 'retry' | 'duplicate' | 'busy' | 'recorded';

/**
 * For an event that may be a no-op: `check` answers whether applying it would change nothing
 * (then it is recorded processed at once: 'recorded'), and which Razorpay order it is about.
 */
export interface NoEffect {
  check: () => Promise<boolean>;
  razorpayOrderId: string | null;
}

/** The only code that touches WebhookEvent. */
@Injectable()
export class WebhookEventsRepository {
  /**
   * Concurrent deliveries' claims, and their finishes, each go out as one command (group-commit.ts):
   * every delivery still waits for its own write, so nothing is answered before it is recorded.
   */
  private readonly claims: GroupCommit<object, boolean>;
  private readonly finishes: GroupCommit<AnyBulkWriteOperation<WebhookEvent>>;

  constructor(@InjectModel(WebhookEvent.name) private readonly model: Model<WebhookEvent>) {
    this.claims = new GroupCommit((docs) => insertEachOnce(this.model, docs));
    this.finishes = new GroupCommit((updates) => bulkWriteAll(this.model, updates));
  }

  /**
   * Records the event before any effect. The unique _id makes exactly one of N concurrent deliveries
   * 'new'; a later delivery may take over only an event that failed or whose worker's lease ran out.
   */
  async claim(
    id: string,
    event: string,
    rawBody: string,
    eventCreatedAt: number,
    noEffect?: NoEffect,
  ): Promise<EventClaim> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    // Razorpay's retries and duplicates of an event already applied: one read and the count of
    // deliveries, no insert that must fail. The read only answers early; the insert below and
    // the conditional take-over still decide every claim.
    const seen = await this.model
      .findById(id, { status: 1 })
      .lean<{ status: WebhookEventStatus }>()
      .exec();
    if (seen?.status === 'processed') {
      await this.model.updateOne({ _id: id }, { $inc: { deliveries: 1 } }).exec();
      return 'duplicate';
    }
    const record = {
      _id: id,
      createdAt: now,
      createdDay: utcDay(now),
      event,
      rawBody,
      eventCreatedAt,
      attempts: 1,
    };
    // An event that can change nothing is recorded processed in its claim: one write, not two.
    // Only while nobody holds it (the insert decides); its effect is nil, so none is skipped.
    if (!seen && noEffect && (await noEffect.check())) {
      const recorded = await this.claims.add({
        ...record,
        status: 'processed',
        processedAt: now,
        keptDay: utcDay(now),
        leaseUntil: now,
        razorpayOrderId: noEffect.razorpayOrderId,
      });
      if (recorded) return 'recorded';
    }
    const inserted =
      !seen && (await this.claims.add({ ...record, status: 'processing', leaseUntil }));
    if (inserted) return 'new';
    const retaken = await this.model
      .updateOne(
        {
          _id: id,
          $or: [{ status: 'failed' }, { status: 'processing', leaseUntil: { $lt: new Date() } }],
        },
        { $set: { status: 'processing', leaseUntil }, $inc: { deliveries: 1, attempts: 1 } },
      )
      .exec();
    if (retaken.modifiedCount === 1) return 'retry';
    const held = await this.model
      .findOneAndUpdate({ _id: id }, { $inc: { deliveries: 1 } }, { returnDocument: 'after' })
      .exec();
    return held?.status === 'processed' ? 'duplicate' : 'busy';
  }

  /**
   * Events a delivery claimed but never finished (its process died) or that failed, oldest first:
   * the reconciler takes them over rather than wait for Razorpay's next retry.
   */
  findStale(now: Date, limit: number): Promise<WebhookEventDocument[]> {
    return this.model
      .find({ status: { $in: ['processing', 'failed'] }, leaseUntil: { $lt: now } })
      .sort({ leaseUntil: 1 })
      .limit(limit)
      .exec();
  }

  /** Takes over a stale event, for exactly one caller. */
  claimStale(id: string): Promise<WebhookEventDocument | null> {
    const now = new Date();
    return this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: ['processing', 'failed'] }, leaseUntil: { $lt: now } },
        {
          $set: { status: 'processing', leaseUntil: new Date(now.getTime() + LEASE_MS) },
          $inc: { attempts: 1 },
        },
        { returnDocument: 'after' },
      )
      .exec();
  }

  /**
   * For an operator's replay: take the event whatever its state (effects are idempotent), as
   * long as its raw body is still kept. 'pruned' when retention has removed it.
   */
  async claimForReplay(id: string): Promise<WebhookEventDocument | 'pruned' | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        { _id: id, rawBodyKept: { $ne: false } },
        {
          $set: { status: 'processing', leaseUntil: new Date(Date.now() + LEASE_MS) },
          $inc: { attempts: 1 },
        },
        { returnDocument: 'after' },
      )
      .exec();
    if (claimed) return claimed;
    return (await this.model.exists({ _id: id }).exec()) ? 'pruned' : null;
  }

  /**
   * Retention: drops the raw body of up to `limit` events processed before `processedBefore`.
   * The read asks for kept bodies by day (keptDay), newest due day first, a year of days per
   * query back to FIRST_DAY; the write is one conditional update, so an event a replay has just
   * taken again is left alone.
   */
  async pruneRawBodies(processedBefore: Date, limit: number): Promise<number> {
    const due: string[] = [];
    let newest = utcDay(processedBefore);
    while (due.length < limit && newest >= FIRST_DAY) {
      const days = daysBack(newest, DAYS_PER_QUERY, FIRST_DAY);
      const rows = await this.model
        .find({ keptDay: { $in: days }, processedAt: { $lt: processedBefore } }, { _id: 1 })
        .limit(limit - due.length)
        .lean<{ _id: string }[]>()
        .exec();
      due.push(...rows.map((row) => row._id));
      newest = dayBefore(days[days.length - 1]);
    }
    if (due.length === 0) return 0;
    const result = await this.model
      .updateMany(
        { _id: { $in: due }, status: 'processed', rawBodyKept: true },
        { $set: { rawBody: null, rawBodyKept: false, keptDay: null } },
      )
      .exec();
    return result.modifiedCount;
  }

  async finish(
    id: string,
    status: Exclude<WebhookEventStatus, 'processing'>,
    details: { razorpayOrderId?: string | null; error?: string },
  ): Promise<void> {
    const now = new Date();
    await this.finishes.add({
      updateOne: {
        filter: { _id: id },
        update: {
          $set: {
            status,
            lastError: details.error ?? null,
            processedAt: status === 'processed' ? now : null,
            keptDay: status === 'processed' ? utcDay(now) : null,
            ...(details.razorpayOrderId ? { razorpayOrderId: details.razorpayOrderId } : {}),
          },
        },
      },
    });
  }

  findForRazorpayOrder(razorpayOrderId: string): Promise<WebhookEventDocument[]> {
    return this.model.find({ razorpayOrderId }).sort({ createdAt: 1 }).exec();
  }

  /** Events processed before keptDay existed get it while their body is kept (startup-migrations.ts). */
  async backfillKeptDay(stop: () => boolean): Promise<number> {
    let updated = 0;
    const old = this.model
      .find({ keptDay: { $exists: false } }, { processedAt: 1, rawBodyKept: 1, status: 1 })
      .lean<Pick<WebhookEvent, 'processedAt' | 'rawBodyKept' | 'status'> & { _id: string }>()
      .cursor();
    for await (const event of old) {
      if (stop()) break;
      const kept = event.status === 'processed' && event.rawBodyKept && event.processedAt;
      await this.model
        .updateOne(
          { _id: event._id, keptDay: { $exists: false } },
          { $set: { keptDay: kept ? utcDay(event.processedAt as Date) : null } },
        )
        .exec();
      updated++;
    }
    return updated;
  }

  /** Events stored before createdDay existed get it (startup-migrations.ts). */
  async backfillCreatedDay(stop: () => boolean): Promise<number> {
    let updated = 0;
    const old = this.model
      .find({ createdDay: { $exists: false } }, { createdAt: 1 })
      .lean<{ _id: string; createdAt: Date }>()
      .cursor();
    for await (const event of old) {
      if (stop()) break;
      await this.model
        .updateOne({ _id: event._id }, { $set: { createdDay: utcDay(event.createdAt) } })
        .exec();
      updated++;
    }
    return updated;
  }

  /** Newest first, a page at a time (day-pages.ts). */
  list(
    filter: { status?: WebhookEventStatus; event?: string },
    limit: number,
    before?: PageCursor,
  ): Promise<DayPage<WebhookEventDocument>> {
    const query = {
      ...(filter.status && { status: filter.status }),
      ...(filter.event && { event: filter.event }),
    };
    return dayPage(this.model, { filter: query, limit, before, toId: (id) => id });
  }
}
