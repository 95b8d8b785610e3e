import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Refund, RefundDocument, REFUND_STATUS_RANK } from './schemas/refund.schema';
import { isDuplicateKeyError } from '../common/duplicate-key';

@Injectable()
export class RefundsRepository {
  constructor(@InjectModel(Refund.name) private readonly model: Model<Refund>) {}

  /**
   * Stores Razorpay's view of a refund; a status only moves forward (pending → processed → failed
   * as Razorpay reports it), whatever order the reports arrive in.
   */
  async saveSnapshot(refund: Omit<Refund, 'statusRank'>): Promise<void> {
    const rank = REFUND_STATUS_RANK[refund.status];
    try {
      await this.model
        .updateOne(
          { _id: refund._id, statusRank: { $lt: rank } },
          { $set: { ...refund, statusRank: rank } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      // The refund is stored with a later status already.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  findForOrder(orderId: Types.ObjectId): Promise<RefundDocument[]> {
    return this.model.find({ orderId }).sort({ createdAt: 1 }).exec();
  }

  countFailedForPayment(paymentId: string): Promise<number> {
    return this.model.countDocuments({ paymentId, status: 'failed' }).exec();
  }

  async refundedForPayment(paymentId: string): Promise<number> {
    const refunds = await this.model.find({ paymentId, status: { $ne: 'failed' } }).exec();
    return refunds.reduce((sum, r) => sum + r.amount, 0);
  }
}
