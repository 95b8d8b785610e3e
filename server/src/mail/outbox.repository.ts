import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';
import { paginate } from '../common/paginate';
import { insertEachOnce } from '../common/duplicate-key';
import { GroupCommit } from '../common/group-commit';
import {
  OutboxMessage,
  OutboxMessageDocument,
  OutboxStatus,
} from './schemas/outbox-message.schema';

export type NewOutboxMessage = Omit<
  OutboxMessage,
  'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'createdAt' | 'sentAt'
>;

export interface OutboxFilter {
  to?: string;
  status?: OutboxStatus;
  orderId?: string;
}

/** The only code that touches the outbox collection. */
@Injectable()
export class OutboxRepository {
  private readonly inserts: GroupCommit<object, boolean>;

  constructor(@InjectModel(OutboxMessage.name) private readonly model: Model<OutboxMessage>) {
    this.inserts = new GroupCommit((docs) => insertEachOnce(this.model, docs));
  }

  /**
   * Inserts the message unless one with its id exists: true when this call created it. Messages
   * recorded at the same moment (payments settling together) go out as one command.
   */
  insertOnce(message: NewOutboxMessage, now = new Date()): Promise<boolean> {
    return this.inserts.add({
      ...message,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
      sentAt: null,
    });
  }

  findById(id: string): Promise<OutboxMessageDocument | null> {
    return this.model.findById(id).exec();
  }

  /** Which of these ids are already recorded. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.model
      .find({ _id: { $in: ids } }, { _id: 1 })
      .lean()
      .exec();
    return new Set(rows.map((r) => r._id));
  }

  findDue(now: Date, limit: number): Promise<OutboxMessageDocument[]> {
    return this.model
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .exec();
  }

  /** Takes the message for one attempt (a lease until `leaseUntil`); null when someone else has it. */
  claim(id: string, now: Date, leaseUntil: Date): Promise<OutboxMessageDocument | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending', nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: leaseUntil }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .exec();
  }

  /** Conditional on the attempt, so a sender whose lease ran out cannot overwrite a newer one. */
  async markSent(id: string, attempts: number, at: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: 'pending', attempts },
        { $set: { status: 'sent', sentAt: at, lastError: null } },
      )
      .exec();
  }

  async markAttemptFailed(
    id: string,
    attempts: number,
    error: string,
    retryAt: Date | null,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: 'pending', attempts },
        retryAt
          ? { $set: { nextAttemptAt: retryAt, lastError: error } }
          : { $set: { status: 'failed', lastError: error } },
      )
      .exec();
  }

  /** The operator's resend: back to pending, due now, attempts counted afresh. */
  resend(id: string, now: Date): Promise<OutboxMessageDocument | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id },
        {
          $set: {
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
            sentAt: null,
          },
        },
        { returnDocument: 'after' },
      )
      .exec();
  }

  list(filter: OutboxFilter, page: number, limit: number) {
    const query: QueryFilter<OutboxMessage> = {};
    if (filter.to) query.to = filter.to.toLowerCase();
    if (filter.status) query.status = filter.status;
    if (filter.orderId) query.orderId = new Types.ObjectId(filter.orderId);
    return paginate(this.model, query, { createdAt: -1, _id: -1 }, page, limit);
  }
}
