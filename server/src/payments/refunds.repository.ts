import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Refund, RefundDocument, RefundStatus } from './schemas/refund.schema';
import { isDuplicateKeyError } from '../common/duplicate-key';

@Injectable()
export class RefundsRepository {
  constructor(@InjectModel(Refund.name) private readonly model: Model<Refund>) {}

  /** True only for the first caller to record this refund id. */
  async insertOnce(refund: Refund): Promise<boolean> {
    try {
      await this.model.create(refund);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Moves a refund from one status to another; true for the single caller that made the move. */
  async moveStatus(id: string, from: RefundStatus[], to: RefundStatus): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, status: { $in: from } }, { $set: { status: to } })
      .exec();
    return result.modifiedCount === 1;
  }

  findForOrder(orderId: Types.ObjectId): Promise<RefundDocument[]> {
    return this.model.find({ orderId }).sort({ createdAt: 1 }).exec();
  }

  countForOrder(orderId: Types.ObjectId): Promise<number> {
    return this.model.countDocuments({ orderId }).exec();
  }

  async refundedForPayment(paymentId: string): Promise<number> {
    const refunds = await this.model.find({ paymentId, status: { $ne: 'failed' } }).exec();
    return refunds.reduce((sum, r) => sum + r.amount, 0);
  }
}
