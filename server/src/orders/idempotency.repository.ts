import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { IdempotencyKey, IdempotencyKeyDocument } from './schemas/idempotency-key.schema';
import { isDuplicateKeyError } from '../common/duplicate-key';

export type IdempotencyClaim =
  { kind: 'claimed' } | { kind: 'existing'; record: IdempotencyKeyDocument };

/** Atomic claims on Idempotency-Key values (unique _id); no read-then-write. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectModel(IdempotencyKey.name) private readonly model: Model<IdempotencyKey>) {}

  /**
   * Claims the key for an order whose id is chosen now, so a retry always means that one order:
   * the order's unique _id stops two creations even if a claim is taken over.
   */
  async claim(
    id: string,
    requestHash: string,
    orderId: Types.ObjectId,
    ttlMs: number,
  ): Promise<IdempotencyClaim> {
    const now = new Date();
    const fresh = {
      requestHash,
      orderId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlMs),
    };
    try {
      await this.model.create({ _id: id, ...fresh });
      return { kind: 'claimed' };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // An expired key may be taken over, by exactly one caller.
    const takeover = await this.model
      .updateOne({ _id: id, expiresAt: { $lt: now } }, { $set: fresh })
      .exec();
    if (takeover.modifiedCount === 1) return { kind: 'claimed' };
    const record = await this.model.findById(id).exec();
    return record ? { kind: 'existing', record } : this.claim(id, requestHash, orderId, ttlMs);
  }

  /**
   * Takes over a claim whose creation never produced an order (its process died): exactly one
   * caller wins, and it creates the order under the claim's own order id.
   */
  async takeOverAbandoned(record: IdempotencyKeyDocument): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: record._id, createdAt: record.createdAt },
        { $set: { createdAt: new Date() } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Retention: deletes up to `limit` keys whose time has passed. The delete is conditional on
   * the expiry, so a key a new request has just taken over is kept.
   */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    const due = await this.model
      .find({ expiresAt: { $lt: now } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    if (due.length === 0) return 0;
    const result = await this.model
      .deleteMany({ _id: { $in: due.map((k) => k._id) }, expiresAt: { $lt: now } })
      .exec();
    return result.deletedCount;
  }

  /** Frees the key after a failure, so the same request can be tried again. */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
