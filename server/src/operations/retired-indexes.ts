import type { mongo } from 'mongoose';

/**
 * Indexes earlier versions declared and no query uses any more (server/test/query-indexes
 * .e2e-spec.ts holds the declared ones to that). Mongoose creates declared indexes but never
 * drops any, so without this list an existing database keeps maintaining them on every write.
 * Named, not diffed against the schemas: an index an operator added by hand is left alone.
 */
export const RETIRED_INDEXES: Readonly<Record<string, readonly string[]>> = {
  orders: [
    'status_1',
    'userId_1',
    'expiresAt_1',
    'paidDay_1',
    'userId_1_status_1',
    'status_1_createdAt_1',
    'orderNumber_1',
    // The purchase check's, until entitlements answered it by _id.
    'userId_1_status_1_items.productId_1_paidAt_-1',
  ],
  payments: ['orderId_1', 'razorpayOrderId_1'],
  refunds: ['orderId_1'],
  refund_intents: ['status_1'],
  products: ['active_1'],
  outbox: ['orderId_1', 'to_1', 'status_1'],
  webhook_events: ['razorpayOrderId_1', 'rawBodyKept_1_processedAt_1'],
};

// Server error codes for "no such index" and "no such collection": already gone is done.
const ALREADY_GONE = new Set([26, 27]);

/** Drops each retired index that exists; returns `collection.index` of those it dropped. */
export async function dropRetiredIndexes(db: mongo.Db): Promise<string[]> {
  const dropped: string[] = [];
  for (const [collection, names] of Object.entries(RETIRED_INDEXES)) {
    for (const name of names) {
      try {
        await db.collection(collection).dropIndex(name);
        dropped.push(`${collection}.${name}`);
      } catch (error) {
        if (!ALREADY_GONE.has((error as { code?: number }).code ?? -1)) throw error;
      }
    }
  }
  return dropped;
}
