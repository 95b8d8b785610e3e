import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { QueryFilter, Model, Types, UpdateQuery } from 'mongoose';
import { paginate } from '../common/paginate';
import { isDuplicateKeyError } from '../common/duplicate-key';
import { DayPage, dayPage, narrowPage, PageCursor } from '../common/day-pages';
import {
  ENDS_UNPAID,
  OrderStatus,
  PURCHASED_STATUSES,
  statusesAllowedBefore,
  TransitionSource,
} from './order-status';
import { FlaggedPayment, Order, OrderDocument, PaymentError } from './schemas/order.schema';
import { formatOrderNumber } from './order-numbers';
import { utcDay } from '../common/utc-day';

export interface TransitionChange {
  source: TransitionSource;
  /** Narrows the allowed starting statuses (e.g. only `pending` may become paid by a payment). */
  from?: readonly OrderStatus[];
  note?: string;
  set?: Partial<Order>;
  inc?: Partial<Record<'amountRefunded', number>>;
  /** Refund ids to remember in the same update (so a refund is counted, or given back, once). */
  push?: Partial<Record<'appliedRefundIds' | 'revertedRefundIds', string>>;
  /** Extra conditions for the move, e.g. an expected amountRefunded (compare-and-set). */
  guard?: QueryFilter<Order>;
}

export interface AdminOrderFilter {
  status?: OrderStatus;
  email?: string;
  /** `DK-000123` or its digits. */
  orderNumber?: string;
  from?: Date;
  to?: Date;
}

/** What holds an order id (see OrdersRepository.lapsePlacement). */
export type OrderIdHolder = 'order' | 'lapsed';

/** The only code that touches the Order model. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectModel(Order.name) private readonly model: Model<Order>) {}

  newId(): Types.ObjectId {
    return new Types.ObjectId();
  }

  /** Records an order, Razorpay's order id included: one insert. */
  insert(
    order: Partial<Order> & { _id: Types.ObjectId; razorpayOrderId: string },
  ): Promise<OrderDocument> {
    return this.model.create(order);
  }

  /** The order, or null: also for an id the reconciler gave up on (lapsePlacement). */
  async findById(id: string | Types.ObjectId): Promise<OrderDocument | null> {
    const order = await this.model.findById(id).exec();
    return order?.lapsedPlacement ? null : order;
  }

  /**
   * Gives up on a placement that has not recorded its order in time: a stand-in under the order's
   * id, so that placement's insert fails instead of recording an order whose units were given
   * back. The one insert decides between the two, whoever comes first. 'order' when the order
   * was recorded first; 'lapsed' when this call (or an earlier one) gave the placement up.
   */
  async lapsePlacement(id: Types.ObjectId): Promise<OrderIdHolder> {
    const now = new Date();
    try {
      // Not an order (no customer, no items): inserted past the schema, found by _id only. Its
      // razorpayOrderId is its own because that index is unique and cannot be sparse (FerretDB).
      await this.model.collection.insertOne({
        _id: id,
        lapsedPlacement: true,
        status: 'cancelled',
        razorpayOrderId: `lapsed_${id.toHexString()}`,
        createdAt: now,
        updatedAt: now,
      });
      return 'lapsed';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await this.holderOf(id)) ?? 'lapsed';
    }
  }

  /** Who holds an order id: the order, the reconciler's stand-in, or nobody yet (null). */
  async holderOf(id: Types.ObjectId): Promise<OrderIdHolder | null> {
    const found = await this.model
      .findById(id, { lapsedPlacement: 1 })
      .lean<{ lapsedPlacement?: boolean }>()
      .exec();
    if (!found) return null;
    return found.lapsedPlacement ? 'lapsed' : 'order';
  }

  /**
   * By the unique index on razorpayOrderId; on the embedded database the patched FerretDB pushes
   * a string equality down to that index (docs/database.md, "Patched FerretDB").
   */
  findByRazorpayOrderId(razorpayOrderId: string): Promise<OrderDocument | null> {
    return this.model.findOne({ razorpayOrderId }).exec();
  }

  /**
   * One conditional update: succeeds only if the order is still in a status that may move to `to`,
   * so two racing inputs can never both win. Returns the updated order, or null if it lost.
   */
  transition(
    id: Types.ObjectId,
    to: OrderStatus,
    change: TransitionChange,
  ): Promise<OrderDocument | null> {
    const update: UpdateQuery<Order> = {
      $set: {
        ...change.set,
        status: to,
        ...(ENDS_UNPAID.includes(to) && { stockReleasePending: true }),
      },
      $push: {
        history: { status: to, at: new Date(), source: change.source, note: change.note },
        ...change.push,
      },
    };
    if (change.inc) update.$inc = change.inc;
    return this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: statusesAllowedBefore(to, change.from) }, ...change.guard },
        update,
        {
          returnDocument: 'after',
        },
      )
      .exec();
  }

  /**
   * Gives an order recorded without Razorpay's order (the placeholder id) the one just created.
   * Only replaces the placeholder: of two racing assignments the first wins; returns the order.
   */
  async assignRazorpayOrderId(
    order: OrderDocument,
    razorpayOrderId: string,
  ): Promise<OrderDocument | null> {
    const assigned = await this.model
      .findOneAndUpdate(
        { _id: order._id, razorpayOrderId: order.razorpayOrderId },
        { $set: { razorpayOrderId } },
        { returnDocument: 'after' },
      )
      .exec();
    return assigned ?? this.findById(order._id);
  }

  /** True for exactly one caller: the one that gets to give the stock back. */
  async claimStockRelease(id: Types.ObjectId): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, stockReleased: false },
        { $set: { stockReleased: true, stockReleasePending: false } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  async clearStockReleasePending(id: Types.ObjectId): Promise<void> {
    await this.model
      .updateOne({ _id: id, stockReleased: true }, { $set: { stockReleasePending: false } })
      .exec();
  }

  async recordPaymentError(id: Types.ObjectId, error: PaymentError): Promise<void> {
    await this.model
      .updateOne({ _id: id, status: 'pending' }, { $set: { lastPaymentError: error } })
      .exec();
    // The payment being confirmed failed after all: the order is no longer "confirming".
    await this.model
      .updateOne(
        { _id: id, confirmingPaymentId: error.paymentId },
        { $set: { confirmingPaymentId: null } },
      )
      .exec();
  }

  async countFailedVerification(id: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: id }, { $inc: { failedVerifications: 1 } }).exec();
  }

  /**
   * Keeps a payment the order cannot take, once per payment id; never the order's own payment.
   * True for the caller that added it.
   */
  async flagPayment(id: Types.ObjectId, flag: FlaggedPayment): Promise<boolean> {
    const result = await this.model
      .updateOne(
        // A scalar id array for the guard: FerretDB 1.24 gets `$ne` wrong on a path into an
        // array of documents ('flaggedPayments.paymentId' matched while an element was equal).
        { _id: id, paymentId: { $ne: flag.paymentId }, flaggedPaymentIds: { $ne: flag.paymentId } },
        { $push: { flaggedPayments: flag, flaggedPaymentIds: flag.paymentId } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** A flagged payment's refund was accepted by Razorpay: its flag is closed. */
  async closeFlag(id: Types.ObjectId, paymentId: string): Promise<void> {
    await this.model
      .updateOne({ _id: id }, { $addToSet: { refundedFlaggedPaymentIds: paymentId } })
      .exec();
  }

  /** A flagged payment's refund failed: the flag is open again, for another refund. */
  async reopenFlag(id: Types.ObjectId, paymentId: string): Promise<void> {
    await this.model
      .updateOne({ _id: id }, { $pull: { refundedFlaggedPaymentIds: paymentId } })
      .exec();
  }

  /**
   * Marks that a payment is authorised (or reported by checkout) but its capture is unconfirmed.
   * Returns the order as it now stands (if it had moved on, e.g. a webhook paid it meanwhile).
   */
  async markConfirming(id: Types.ObjectId, paymentId: string): Promise<OrderDocument | null> {
    const marked = await this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending' },
        { $set: { confirmingPaymentId: paymentId } },
        { returnDocument: 'after' },
      )
      .exec();
    return marked ?? this.findById(id);
  }

  /**
   * A failed refund that was never counted: remember it so that a late `refund.processed` for it
   * cannot count it either. True if this call recorded it.
   */
  async rememberUncountedFailedRefund(id: Types.ObjectId, refundId: string): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, appliedRefundIds: { $ne: refundId }, revertedRefundIds: { $ne: refundId } },
        { $push: { revertedRefundIds: refundId } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** A lease so that, with several API instances, one reconciler works on an order at a time. */
  claimForReconcile(id: Types.ObjectId, leaseMs: number): Promise<OrderDocument | null> {
    const now = new Date();
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending', reconcileLeaseUntil: { $lt: now } },
        {
          $set: { reconcileLeaseUntil: new Date(now.getTime() + leaseMs) },
          $inc: { reconcileAttempts: 1 },
        },
        { returnDocument: 'after' },
      )
      .exec();
  }

  /** After a check: when this order may be looked at again. */
  async deferReconcile(id: Types.ObjectId, until: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { reconcileLeaseUntil: until } }).exec();
  }

  /** Pending orders due for a check, least recently checked first (so no order starves the rest). */
  findDueForReconcile(createdBefore: Date, limit: number): Promise<OrderDocument[]> {
    return this.model
      .find({
        status: 'pending',
        createdAt: { $lt: createdBefore },
        reconcileLeaseUntil: { $lt: new Date() },
      })
      .sort({ reconcileLeaseUntil: 1, _id: 1 })
      .limit(limit)
      .exec();
  }

  /** Ids of orders still `paid` that were paid on one of `days` (paid-day.ts), newest first. */
  async findIdsPaidOnDays(days: string[], limit: number): Promise<Types.ObjectId[]> {
    const rows = await this.model
      .find({ paidDay: { $in: days }, status: 'paid' }, { _id: 1 })
      .sort({ paidDay: -1, _id: -1 })
      .limit(limit)
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    return rows.map((r) => r._id);
  }

  /** Orders that ended unpaid but whose stock was not given back (a crash in between). */
  findEndedWithStockHeld(limit: number): Promise<OrderDocument[]> {
    return this.model.find({ stockReleasePending: true }).limit(limit).exec();
  }

  async listForUser(
    userId: string,
    page: number,
    limit: number,
  ): Promise<{ items: OrderDocument[]; total: number }> {
    const filter = { userId: new Types.ObjectId(userId) };
    return this.page(filter, page, limit);
  }

  /**
   * The operator's list, newest first (day-pages.ts): an order number or an e-mail narrows it to a
   * few orders read whole; otherwise it reads the newest days of the window until the page is full.
   */
  listForAdmin(
    filter: AdminOrderFilter,
    limit: number,
    before?: PageCursor,
  ): Promise<DayPage<OrderDocument>> {
    const query: QueryFilter<Order> = {};
    if (filter.status) query.status = filter.status;
    if (filter.from || filter.to) {
      query.createdAt = {
        ...(filter.from && { $gte: filter.from }),
        ...(filter.to && { $lte: filter.to }),
      };
    }
    const page = { filter: query, limit, before, toId: (id: string) => new Types.ObjectId(id) };
    if (filter.orderNumber) {
      const orderNumber = formatOrderNumber(Number(filter.orderNumber.replace(/\D/g, '')));
      return narrowPage(
        this.model,
        { orderNumber, ...(filter.email && { customerEmail: filter.email.toLowerCase() }) },
        page,
      );
    }
    if (filter.email)
      return narrowPage(this.model, { customerEmail: filter.email.toLowerCase() }, page);
    return dayPage(this.model, { ...page, newest: filter.to, oldest: filter.from });
  }

  /** Orders stored before createdDay/customerEmail existed get them (startup-migrations.ts). */
  async backfillDayFields(stop: () => boolean): Promise<number> {
    let updated = 0;
    const old = this.model
      .find(
        { createdDay: { $exists: false } },
        { createdAt: 1, 'customer.email': 1, status: 1, stockReleased: 1 },
      )
      .lean<
        Pick<Order, 'createdAt' | 'customer' | 'status' | 'stockReleased'> & {
          _id: Types.ObjectId;
        }
      >()
      .cursor();
    for await (const order of old) {
      if (stop()) break;
      await this.model
        .updateOne(
          { _id: order._id },
          {
            $set: {
              createdDay: utcDay(order.createdAt),
              customerEmail: order.customer.email.toLowerCase(),
              stockReleasePending: ENDS_UNPAID.includes(order.status) && !order.stockReleased,
            },
          },
        )
        .exec();
      updated++;
    }
    return updated;
  }

  /**
   * "Did this user buy this product?" among the orders their entitlement names: the newest paid,
   * not fully refunded one containing it. Asked by `_id` alone and the rest checked here: given
   * `userId` or `status` too, the embedded database may search by that index instead (every
   * order of the user, or every paid order) — the shop's history would be back in the cost.
   */
  async findPurchaseAmong(
    ids: Types.ObjectId[],
    userId: string,
    productId: string,
  ): Promise<OrderDocument | null> {
    const candidates = await this.model.find({ _id: { $in: ids } }).exec();
    const theirs = candidates.filter((o) => o.userId?.toHexString() === userId);
    return newestPurchase(theirs, productId) ?? null;
  }

  /**
   * The same question asked of every order of the user: only while the entitlement backfill has
   * not finished (startup-migrations.ts), through the index that lists a user's orders.
   */
  async findPurchaseByScan(userId: string, productId: string): Promise<OrderDocument | null> {
    const orders = await this.model
      .find({ userId: new Types.ObjectId(userId) }, { status: 1, paidAt: 1, 'items.productId': 1 })
      .sort({ createdAt: -1, _id: -1 })
      .lean<(Pick<Order, 'status' | 'paidAt' | 'items'> & { _id: Types.ObjectId })[]>()
      .exec();
    const newest = newestPurchase(orders, productId);
    return newest ? this.findById(newest._id) : null;
  }

  /** Paid, not fully refunded orders (guests' too), for the entitlement backfill. */
  purchasedOrders() {
    return this.model
      .find({ status: { $in: PURCHASED_STATUSES } }, { userId: 1, 'items.productId': 1 })
      .lean<Pick<Order, 'userId' | 'items'> & { _id: Types.ObjectId }>()
      .cursor();
  }

  /**
   * Open orders by status — what a scrape may read. Ended orders are history: their totals are
   * the shop_order_transitions_total counters, so a scrape never reads the whole collection.
   */
  async countOpen(): Promise<Record<'pending', number>> {
    return { pending: await this.model.countDocuments({ status: 'pending' }).exec() };
  }

  private page(filter: QueryFilter<Order>, page: number, limit: number) {
    return paginate(this.model, filter, { createdAt: -1, _id: -1 }, page, limit);
  }
}

/** The rule behind "did they buy it": the latest paid, not fully refunded order containing it. */
function newestPurchase<T extends Pick<Order, 'status' | 'paidAt' | 'items'>>(
  orders: T[],
  productId: string,
): T | undefined {
  return orders
    .filter((o) => PURCHASED_STATUSES.includes(o.status))
    .filter((o) => o.items.some((item) => item.productId.toHexString() === productId))
    .sort((a, b) => (b.paidAt?.getTime() ?? 0) - (a.paidAt?.getTime() ?? 0))[0];
}
