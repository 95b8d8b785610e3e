import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Connection, Model, Types } from 'mongoose';
import { bulkWriteAll } from '../common/duplicate-key';
import { GroupCommit } from '../common/group-commit';
import { Entitlement, entitlementId } from './schemas/entitlement.schema';

/** The startup pass (startup-migrations.ts) that gives orders paid before entitlements existed theirs. */
export const ENTITLEMENTS_BACKFILL = 'entitlements-v1';

/** What an entitlement needs of an order. */
export interface EntitledOrder {
  _id: Types.ObjectId;
  userId: Types.ObjectId | null;
  items: { productId: Types.ObjectId }[];
}

/** The only code that touches Entitlement. */
@Injectable()
export class EntitlementsRepository {
  /** Concurrent payments' entitlements go out as one command (group-commit.ts). */
  private readonly notes: GroupCommit<AnyBulkWriteOperation<Entitlement>[]>;
  private backfilled = false;

  constructor(
    @InjectModel(Entitlement.name) private readonly model: Model<Entitlement>,
    @InjectConnection() private readonly connection: Connection,
  ) {
    // An order's updates (one per product) stay together: one command even for an idle shop.
    this.notes = new GroupCommit<AnyBulkWriteOperation<Entitlement>[]>(async (orders) => {
      await bulkWriteAll(this.model, orders.flat());
      return orders.map(() => undefined);
    });
  }

  /**
   * Adds the order to its user's entitlement for each product in it (idempotent: a set). Called
   * before the order may become paid, so a purchase never lacks one; a guest order has none.
   */
  async note(order: EntitledOrder): Promise<void> {
    const updates = entitlementUpdates([order]);
    if (updates.length > 0) await this.notes.add(updates);
  }

  /** The same for many orders at once (the backfill, seeded history): one command. */
  async noteAll(orders: EntitledOrder[]): Promise<void> {
    const updates = entitlementUpdates(orders);
    if (updates.length > 0) await bulkWriteAll(this.model, updates);
  }

  /** The orders that may be this user's purchases of this product; null if none ever was. */
  async candidatesFor(userId: string, productId: string): Promise<Types.ObjectId[] | null> {
    const found = await this.model
      .findById(entitlementId(userId, productId), { orderIds: 1 })
      .lean<{ orderIds: Types.ObjectId[] }>()
      .exec();
    return found?.orderIds ?? null;
  }

  /**
   * Whether every order paid before entitlements existed has one (the backfill pass is marked
   * done). Until then a missing entitlement proves nothing. Once true it stays true.
   */
  async isBackfilled(): Promise<boolean> {
    if (this.backfilled) return true;
    const mark = await this.connection
      .collection<{ _id: string }>('migrations')
      .findOne({ _id: ENTITLEMENTS_BACKFILL }, { projection: { _id: 1 } });
    this.backfilled = mark !== null;
    return this.backfilled;
  }
}

function entitlementUpdates(orders: EntitledOrder[]): AnyBulkWriteOperation<Entitlement>[] {
  const byId = new Map<
    string,
    { userId: Types.ObjectId; productId: Types.ObjectId; ids: Types.ObjectId[] }
  >();
  for (const order of orders) {
    if (!order.userId) continue;
    for (const { productId } of order.items) {
      const id = entitlementId(order.userId, productId);
      const entry = byId.get(id) ?? { userId: order.userId, productId, ids: [] };
      if (!entry.ids.some((known) => known.equals(order._id))) entry.ids.push(order._id);
      byId.set(id, entry);
    }
  }
  return [...byId].map(([id, { userId, productId, ids }]) => ({
    updateOne: {
      filter: { _id: id },
      update: {
        $setOnInsert: { userId, productId },
        $addToSet: { orderIds: { $each: ids } },
      },
      upsert: true,
    },
  }));
}
