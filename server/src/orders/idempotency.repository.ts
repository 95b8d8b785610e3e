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

  async claim(id: string, requestHash: string, ttlMs: number): Promise<IdempotencyClaim> {
    const now = new Date();
    const fresh = {
      requestHash,
      orderId: null,
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
    return record ? { kind: 'existing', record } : this.claim(id, requestHash, ttlMs);
  }

  async complete(id: string, orderId: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { orderId } }).exec();
  }

  /** Frees the key after a failure, so the same request can be tried again. */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, orderId: null }).exec();
  }
}
