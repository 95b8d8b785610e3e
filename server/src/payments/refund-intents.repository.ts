import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../common/duplicate-key';
import { RefundIntent, RefundIntentDocument } from './schemas/refund-intent.schema';

export type NewRefundIntent = Omit<
  RefundIntent,
  'status' | 'refundId' | 'error' | 'attempts' | 'createdAt' | 'updatedAt'
>;

/** The only code that touches RefundIntent. */
@Injectable()
export class RefundIntentsRepository {
  constructor(@InjectModel(RefundIntent.name) private readonly model: Model<RefundIntent>) {}

  /** Inserts the intent, or returns the one already stored under its id (whoever wrote it first). */
  async insertOrGet(intent: NewRefundIntent): Promise<RefundIntentDocument> {
    try {
      return await this.model.create({ ...intent, status: 'open', attempts: 0 });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.model.findById(intent._id).exec();
    if (!existing) throw new Error(`refund intent ${intent._id} vanished`);
    return existing;
  }

  findById(id: string): Promise<RefundIntentDocument | null> {
    return this.model.findById(id).exec();
  }

  async countAttempt(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $inc: { attempts: 1 } }).exec();
  }

  async markDone(id: string, refundId: string): Promise<void> {
    await this.model
      .updateOne({ _id: id, status: 'open' }, { $set: { status: 'done', refundId, error: null } })
      .exec();
  }

  async markRejected(id: string, error: string): Promise<void> {
    await this.model
      .updateOne({ _id: id, status: 'open' }, { $set: { status: 'rejected', error } })
      .exec();
  }

  /** Paise asked of Razorpay for this payment whose outcome is still unknown (open intents). */
  async inFlightFor(paymentId: string): Promise<number> {
    const open = await this.model
      .find({ paymentId, status: 'open' }, { amount: 1 })
      .lean<{ amount: number }[]>()
      .exec();
    return open.reduce((sum, intent) => sum + intent.amount, 0);
  }

  /** Intents whose outcome at Razorpay is still unknown, oldest first, for the reconciler. */
  findOpenUpdatedBefore(before: Date, limit: number): Promise<RefundIntentDocument[]> {
    return this.model
      .find({ status: 'open', updatedAt: { $lt: before } })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .exec();
  }
}
