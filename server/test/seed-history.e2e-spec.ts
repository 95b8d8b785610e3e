// `npm run seed:history` (issue 12) must leave the database a running shop would have left: the
// records each order derives (order numbers, the outbox's mails, webhook bodies past retention)
// in place, so that the shop's own repair work finds nothing to repair and the shopper and
// operator views agree with the orders. Runs the command itself (its own process, as a user
// would) to seed 300 orders over 60 days into the test app's database.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { withDatabaseName } from '../src/database/launcher/database-uri';
import type { SeedSummary } from '../src/tools/seed-history';
import { adminToken, createProduct, placeOrder } from './support/api';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const RETENTION_DAYS = 30;
const MAILED = ['paid', 'refunded', 'partially_refunded'];

interface StoredOrder {
  _id: { toHexString(): string };
  orderNumber?: string;
  status: string;
  lastPaymentError: unknown;
  appliedRefundIds: string[];
}

describe('seed:history writes what the shop itself would have left (e2e)', () => {
  let t: TestApp;
  let db: NonNullable<Connection['db']>;
  let summary: SeedSummary;

  beforeAll(async () => {
    t = await startTestApp('seed-history', { WEBHOOK_RETENTION_DAYS: String(RETENTION_DAYS) });
    db = t.app.get<Connection>('DatabaseConnection').db!;
    const uri = withDatabaseName(process.env.TEST_MONGODB_URI!, db.databaseName);
    const script = join(__dirname, '..', '..', 'scripts', 'seed-history.mjs');
    const args = ['--orders', '300', '--days', '60', '--seed', '12', '--json'];
    const { stdout } = await promisify(execFile)(process.execPath, [script, ...args], {
      env: { ...process.env, MONGODB_URI: uri, WEBHOOK_RETENTION_DAYS: String(RETENTION_DAYS) },
    });
    summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as SeedSummary;
  }, 120_000);
  afterAll(() => t.close());

  const orders = () => db.collection<StoredOrder>('orders').find({}).toArray();

  // Before the reconciler runs, which would prune them itself.
  it('keeps raw webhook bodies only for WEBHOOK_RETENTION_DAYS', async () => {
    const cutoff = Date.now() - RETENTION_DAYS * DAY;
    const events = await db
      .collection<{ createdAt: Date; rawBody: string | null; rawBodyKept: boolean }>(
        'webhook_events',
      )
      .find({})
      .toArray();
    const old = events.filter((e) => e.createdAt.getTime() < cutoff - 60_000);
    const recent = events.filter((e) => e.createdAt.getTime() > cutoff + 60_000);
    expect(old.length).toBeGreaterThan(50);
    expect(recent.length).toBeGreaterThan(50);
    expect(old.every((e) => e.rawBody === null && !e.rawBodyKept)).toBe(true);
    expect(recent.every((e) => typeof e.rawBody === 'string' && e.rawBodyKept)).toBe(true);
  });

  // Before a later test places a live order, which the reconciler would rightly look at.
  it('gives the reconciler nothing to repair', async () => {
    const reconciler = t.get<{
      runOnce(): Promise<{
        checked: number;
        expired: number;
        stockReleased: number;
        refundsCompleted: number;
        extra: Record<string, number>;
      }>;
    }>('ReconcilerService');
    const run = await reconciler.runOnce();
    expect(run).toMatchObject({ checked: 0, expired: 0, stockReleased: 0, refundsCompleted: 0 });
    expect(run.extra).toMatchObject({
      confirmationsRecorded: 0,
      webhookBodiesPruned: 0,
      webhookEventsRecovered: 0,
    });
  });

  it('numbers every order from the shop counter, so the next live order gets a new number', async () => {
    const numbers = (await orders()).map((o) => o.orderNumber ?? '');
    expect(numbers).toHaveLength(300);
    expect(numbers.every((n) => /^DK-\d{6}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(300);

    const admin = await adminToken(t);
    const product = await createProduct(t, admin, { stock: 5, price: 10_000 });
    const live = await placeOrder(t, product.id);
    expect(numbers).not.toContain(live.orderNumber);
    expect(live.orderNumber > numbers.sort().at(-1)!).toBe(true);
  });

  it('records one sent mail per confirmation, refund and attempted-then-expired order, and no others', async () => {
    const expected = new Set<string>();
    for (const order of await orders()) {
      const id = order._id.toHexString();
      if (MAILED.includes(order.status)) expected.add(`${id}:paid`);
      for (const refundId of order.appliedRefundIds) expected.add(`${id}:refund:${refundId}`);
      if (order.status === 'expired' && order.lastPaymentError) expected.add(`${id}:expired`);
    }
    const mails = await db.collection<{ _id: string; status: string }>('outbox').find({}).toArray();
    expect(mails.map((m) => m._id).sort()).toEqual([...expected].sort());
    expect(mails.every((m) => m.status === 'sent')).toBe(true);
    expect(expected.size).toBeGreaterThan(150);
  });

  it("notes an entitlement for every signed-in shopper's order that was paid", async () => {
    const paid = await db
      .collection<{
        _id: { toHexString(): string };
        userId: { toHexString(): string } | null;
        items: { productId: { toHexString(): string } }[];
        history: { status: string }[];
      }>('orders')
      .find({ 'history.status': 'paid', userId: { $ne: null } })
      .toArray();
    const expected = new Map<string, string[]>();
    for (const order of paid)
      for (const { productId } of order.items) {
        const id = `${order.userId!.toHexString()}:${productId.toHexString()}`;
        expected.set(id, [...(expected.get(id) ?? []), order._id.toHexString()]);
      }
    const stored = await db
      .collection<{ _id: string; orderIds: { toHexString(): string }[] }>('entitlements')
      .find({})
      .toArray();
    expect(
      new Map(stored.map((e) => [e._id, e.orderIds.map((id) => id.toHexString()).sort()])),
    ).toEqual(new Map([...expected].map(([id, orders]) => [id, [...new Set(orders)].sort()])));
    expect(expected.size).toBeGreaterThan(100);
  });

  it('lets a seeded shopper sign in and see their orders and purchases', async () => {
    const { busiestUser, users } = summary;
    const login = await t.http
      .post('/api/auth/login')
      .send({ email: busiestUser.email, password: users.password })
      .expect(200);
    const me = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
    const list = await t.http.get('/api/me/orders').set(me).expect(200);
    expect((list.body as { items: unknown[] }).items.length).toBe(Math.min(busiestUser.orders, 20));
    expect(busiestUser.purchasedProductId).not.toBeNull();
    const purchase = await t.http
      .get(`/api/me/purchases/${busiestUser.purchasedProductId}`)
      .set(me)
      .expect(200);
    expect(purchase.body).toMatchObject({ purchased: true });
  });
});
