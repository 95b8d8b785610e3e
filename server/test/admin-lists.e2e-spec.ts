// Operator lists page with a cursor over day buckets (issue 12, server/src/common/day-pages.ts).
// A property test: orders spread over years (gaps longer than the walk's widest window, many on
// one day, several in the same millisecond), then random filters and page sizes; paging to the
// end with `nextBefore` must give exactly the matches, newest first, each once, and `total` must
// be the number of matches (capped at TOTAL_CAP, 200). The seed is printed; ADMIN_LISTS_SEED repeats it.
import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { TOTAL_CAP } from '../src/common/day-pages';
import { RETIRED_INDEXES } from '../src/operations/retired-indexes';
import { StartupMigrations } from '../src/operations/startup-migrations';
import { adminToken, createProduct, placeOrder } from './support/api';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const STATUSES = ['paid', 'expired', 'cancelled', 'refunded'] as const;
const EMAILS = ['lists-a@example.com', 'lists-b@example.com', 'lists-c@example.com'];

interface Stored {
  _id: Types.ObjectId;
  createdAt: Date;
  status: string;
  customerEmail: string;
}

describe('Operator lists: cursor pages over day buckets (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let stored: Stored[] = [];

  beforeAll(async () => {
    t = await startTestApp('admin-lists');
    admin = await adminToken(t);
    const product = await createProduct(t, admin, { stock: 10, price: 10000 });
    const template = await placeOrder(t, product.id);
    const orders = t.app.get<Connection>('DatabaseConnection').db!.collection('orders');
    const shape = await orders.findOne({ _id: new Types.ObjectId(template.id) });
    await orders.deleteMany({});

    const seed = Number(process.env.ADMIN_LISTS_SEED ?? Date.now() % 2 ** 31);
    console.log(`admin lists: seed ${seed} (ADMIN_LISTS_SEED=${seed} repeats it)`);
    const now = Date.now();
    // Clusters: today, the last weeks, a year ago, and one three years back (a gap > 256 days).
    const at = fc.oneof(
      fc.integer({ min: now - DAY, max: now }),
      fc.integer({ min: now - 40 * DAY, max: now - 2 * DAY }),
      fc.integer({ min: now - 400 * DAY, max: now - 360 * DAY }),
      fc.constant(now - 1100 * DAY),
    );
    const docs = fc.sample(
      fc.record({
        at,
        status: fc.constantFrom(...STATUSES),
        email: fc.constantFrom(...EMAILS),
      }),
      { numRuns: 260, seed },
    );
    stored = docs.map((d) => ({
      _id: new Types.ObjectId(),
      createdAt: new Date(d.at),
      status: d.status,
      customerEmail: d.email,
    }));
    await orders.insertMany(
      stored.map((s) => ({
        ...shape,
        ...s,
        customer: { ...shape!.customer, email: s.customerEmail },
        createdDay: s.createdAt.toISOString().slice(0, 10),
        razorpayOrderId: `order_lists_${s._id.toHexString()}`,
      })),
    );
  }, 120_000);
  afterAll(() => t.close());

  const newestFirst = (a: Stored, b: Stored) =>
    b.createdAt.getTime() - a.createdAt.getTime() ||
    b._id.toHexString().localeCompare(a._id.toHexString());

  async function pageThrough(query: string, limit: number) {
    const ids: string[] = [];
    const totals = new Set<number>();
    for (let before = '', pages = 0; pages < 400; pages++) {
      const res = await t.http
        .get(`/api/admin/orders?limit=${limit}${query}${before}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((o: { id: string }) => o.id));
      totals.add(res.body.total);
      if (!res.body.nextBefore) return { ids, totals };
      before = `&before=${res.body.nextBefore}`;
    }
    throw new Error('more than 400 pages');
  }

  it('pages through exactly the matches, newest first, for generated filters', async () => {
    const now = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
          email: fc.option(fc.constantFrom(...EMAILS), { nil: undefined }),
          from: fc.option(fc.integer({ min: now - 1200 * DAY, max: now }), { nil: undefined }),
          span: fc.option(fc.integer({ min: 0, max: 500 * DAY }), { nil: undefined }),
          limit: fc.integer({ min: 1, max: 60 }),
        }),
        async ({ status, email, from, span, limit }) => {
          const to = from !== undefined && span !== undefined ? from + span : undefined;
          const expected = stored
            .filter(
              (s) =>
                (!status || s.status === status) &&
                (!email || s.customerEmail === email) &&
                (from === undefined || s.createdAt.getTime() >= from) &&
                (to === undefined || s.createdAt.getTime() <= to),
            )
            .sort(newestFirst)
            .map((s) => s._id.toHexString());
          const query =
            (status ? `&status=${status}` : '') +
            (email ? `&email=${encodeURIComponent(email)}` : '') +
            (from !== undefined ? `&from=${new Date(from).toISOString()}` : '') +
            (to !== undefined ? `&to=${new Date(to).toISOString()}` : '');
          const { ids, totals } = await pageThrough(query, limit);
          expect(ids).toEqual(expected);
          expect([...totals]).toEqual([Math.min(expected.length, TOTAL_CAP)]);
        },
      ),
      { numRuns: 40, seed: Number(process.env.ADMIN_LISTS_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 300_000);

  it('backfills orders and events stored before createdDay existed, once', async () => {
    const db = t.app.get<Connection>('DatabaseConnection').db!;
    const one = await db.collection('orders').findOne({});
    const old = new Types.ObjectId();
    const { createdDay: _d, customerEmail: _e, ...legacy } = one!;
    await db.collection('orders').insertOne({
      ...legacy,
      _id: old,
      customer: { ...one!.customer, email: 'Legacy@Example.com' },
      createdAt: new Date(Date.now() - 3 * DAY),
      razorpayOrderId: 'order_legacy_1',
    });
    await db.collection('webhook_events').insertOne({
      _id: 'evt_legacy_1',
      event: 'payment.captured',
      status: 'processed',
      rawBody: '{}',
      rawBodyKept: true,
      processedAt: new Date(Date.now() - 2 * DAY),
      createdAt: new Date(Date.now() - 3 * DAY),
    } as never);
    const list = () =>
      t.http
        .get('/api/admin/orders?email=legacy@example.com')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
    expect((await list()).body.items).toEqual([]);

    const backfill = t.app.get(StartupMigrations);
    await db.collection('migrations').deleteMany({});
    await backfill.run();
    expect((await list()).body.items.map((o: { id: string }) => o.id)).toEqual([old.toHexString()]);
    const event = await db.collection('webhook_events').findOne({ _id: 'evt_legacy_1' as never });
    expect(event!.createdDay).toBe(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10));
    // Retention finds its kept body by the day it was processed.
    expect(event!.keptDay).toBe(new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10));
    // Marked done: a later start does not read the collections again.
    await db.collection('orders').updateOne({ _id: old }, { $unset: { createdDay: 1 } });
    await backfill.run();
    expect((await db.collection('orders').findOne({ _id: old }))!.createdDay).toBeUndefined();
    await db.collection('orders').deleteOne({ _id: old });
  });

  it('drops the indexes earlier versions declared, and only those, once', async () => {
    const connection = t.app.get<Connection>('DatabaseConnection');
    const db = connection.db!;
    const migrations = t.app.get(StartupMigrations);
    const keysOf = async (collection: string) =>
      (await db.collection(collection).listIndexes().toArray())
        .map((i) => JSON.stringify(i.key))
        .sort();
    const collections = Object.keys(RETIRED_INDEXES);
    // What the schemas declare: none of it may be on the retired list.
    const models = Object.values(connection.models);
    const declared = collections.map((collection) =>
      [
        JSON.stringify({ _id: 1 }),
        ...models
          .filter((model) => model.collection.name === collection)
          .flatMap((model) => model.schema.indexes().map(([keys]) => JSON.stringify(keys))),
      ].sort(),
    );
    expect(await Promise.all(collections.map(keysOf))).toEqual(declared);
    await db.collection('orders').createIndex({ status: 1 });
    await db.collection('orders').createIndex({ userId: 1, status: 1 });
    await db
      .collection('orders')
      .createIndex({ userId: 1, status: 1, 'items.productId': 1, paidAt: -1 });
    await db.collection('webhook_events').createIndex({ rawBodyKept: 1, processedAt: 1 });
    // One an operator added by hand: not ours to drop.
    await db.collection('orders').createIndex({ amount: 1 }, { name: 'operator_amount' });

    await db.collection('migrations').deleteOne({ _id: 'retired-indexes-v2' as never });
    await migrations.run();
    const custom = JSON.stringify({ amount: 1 });
    expect(await Promise.all(collections.map(keysOf))).toEqual(
      declared.map((keys, i) => (collections[i] === 'orders' ? [...keys, custom].sort() : keys)),
    );
    // Marked done: a later start does not look again.
    await db.collection('orders').createIndex({ status: 1 });
    await migrations.run();
    expect(await keysOf('orders')).toContain(JSON.stringify({ status: 1 }));
    await db.collection('orders').dropIndex('status_1');
    await db.collection('orders').dropIndex('operator_amount');
  });

  it('stops counting at TOTAL_CAP and says so', async () => {
    const orders = t.app.get<Connection>('DatabaseConnection').db!.collection('orders');
    const one = await orders.findOne({});
    const today = new Date();
    await orders.insertMany(
      Array.from({ length: TOTAL_CAP + 50 }, (_, i) => ({
        ...one,
        _id: new Types.ObjectId(),
        createdAt: new Date(today.getTime() - i),
        createdDay: today.toISOString().slice(0, 10),
        razorpayOrderId: `order_cap_${i}`,
      })),
    );
    const res = await t.http
      .get('/api/admin/orders?limit=5')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(res.body).toMatchObject({ total: TOTAL_CAP, totalCapped: true, limit: 5 });
    expect(res.body.nextBefore).toEqual(expect.any(String));
  }, 120_000);
});
