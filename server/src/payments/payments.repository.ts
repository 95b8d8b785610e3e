import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { RazorpayPaymentEntity } from '../razorpay/razorpay.types';
import { Payment, PAYMENT_STATUS_RANK, PaymentDocument } from './schemas/payment.schema';
import { isDuplicateKeyError } from '../common/duplicate-key';

/** The only code that touches the Payment model. */
@Injectable()
export class PaymentsRepository {
  constructor(@InjectModel(Payment.name) private readonly model: Model<Payment>) {}

  /**
   * Stores a snapshot unless a later one is already stored: the conditional upsert either moves the
   * record forward, inserts it, or hits the unique _id because a later status is there (ignored).
   * A failed refund is the one way back: `refunded` returns to `captured`.
   */
  async saveSnapshot(
    p: RazorpayPaymentEntity,
    orderId: Types.ObjectId | null,
    source: string,
    refundFailed = false,
  ): Promise<boolean> {
    const rank = PAYMENT_STATUS_RANK[p.status];
    const backFromRefunded = refundFailed && p.status === 'captured';
    try {
      const result = await this.model
        .updateOne(
          {
            _id: p.id,
            ...(backFromRefunded
              ? { $or: [{ statusRank: { $lt: rank } }, { status: 'refunded' }] }
              : { statusRank: { $lt: rank } }),
          },
          {
            $set: {
              orderId,
              razorpayOrderId: p.order_id ?? '',
              amount: p.amount,
              currency: p.currency,
              status: p.status,
              statusRank: rank,
              method: p.method ?? '',
              errorCode: p.error_code ?? null,
              errorDescription: p.error_description ?? null,
              lastSource: source,
            },
          },
          { upsert: true },
        )
        .exec();
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  findForOrder(orderId: Types.ObjectId): Promise<PaymentDocument[]> {
    return this.model.find({ orderId }).sort({ createdAt: 1 }).exec();
  }

  findById(id: string): Promise<PaymentDocument | null> {
    return this.model.findById(id).exec();
  }
}
