import {
  adminToken,
  createProduct,
  eventually,
  getOrder,
  placeOrder,
  ProductBody,
  registerUser,
  sandbox,
  scrapeMetrics,
} from './support/api';
import { Connection, Types } from 'mongoose';
import { startTestApp, TestApp } from './support/test-app';

interface Reconciler {
  runOnce(now?: Date): Promise<{
    checked: number;
    paid: number;
    expired: number;
    errors: number;
    extra: Record<string, number>;
  }>;
}

describe('Refunds, reconciliation and expiry (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let product: ProductBody;

  beforeAll(async () => {
    t = await startTestApp('refunds');
    admin = await adminToken(t);
    product = await createProduct(t, admin, { stock: 50, price: 100000 });
  });
  afterAll(() => t.close());

  const asAdmin = {
    get: (path: string) => t.http.get(path).set('Authorization', `Bearer ${admin}`),
    post: (path: string, body: object = {}) =>
      t.http.post(path).set('Authorization', `Bearer ${admin}`).send(body),
  };
  async function paidOrder(token?: string) {
    const order = await placeOrder(t, product.id, 1, token);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    await t.http.post('/api/payments/verify').send(handler).expect(200);
    return order;
  }

  it('should refund partially then fully, and stop counting the purchase after a full refund', async () => {
    const buyer = await registerUser(t);
    const order = await paidOrder(buyer.token);
    const purchase = () =>
      t.http
        .get(`/api/me/purchases/${product.id}`)
        .set('Authorization', `Bearer ${buyer.token}`)
        .expect(200)
        .then((r) => r.body);
    expect(await purchase()).toMatchObject({ purchased: true, orderId: order.id });

    const partial = await asAdmin
      .post(`/api/admin/orders/${order.id}/refunds`, { amount: 40000 })
      .expect(201);
    expect(partial.body).toMatchObject({ status: 'partially_refunded', amountRefunded: 40000 });
    expect(partial.body.refunds).toHaveLength(1);
    expect(await purchase()).toMatchObject({ purchased: true });

    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`, { amount: 70000 }).expect(400);
    const full = await asAdmin.post(`/api/admin/orders/${order.id}/refunds`).expect(201);
    expect(full.body).toMatchObject({ status: 'refunded', amountRefunded: 100000 });
    expect(await purchase()).toEqual({ purchased: false, orderId: null, paidAt: null });
    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`).expect(409);

    // refund.processed webhooks for the same refunds arrive later and change nothing.
    await eventually(async () => {
      const d = (await asAdmin.get(`/api/admin/orders/${order.id}`)).body as {
        refunds: { status: string }[];
      };
      return d.refunds.every((r) => r.status === 'processed') ? d : null;
    });
    expect((await getOrder(t, order)).amountRefunded).toBe(100000);
  });

  it('should refuse to refund an unpaid order and reject bad refund bodies', async () => {
    const order = await placeOrder(t, product.id);
    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`).expect(409);
    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`, { amount: 10.5 }).expect(400);
    await asAdmin
      .post(`/api/admin/orders/${order.id}/refunds`, { amount: 100, reason: 'x' })
      .expect(400);
  });

  it('should count a refund back when Razorpay reports it failed', async () => {
    const order = await paidOrder();
    await sandbox(t).fault({ target: 'webhooks', type: 'refund_failed', count: 1 });
    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`, { amount: 30000 }).expect(201);
    const after = await eventually(async () => {
      const o = await getOrder(t, order);
      return o.status === 'paid' && o.amountRefunded === 0 ? o : null;
    });
    expect(after.history.map((h) => h.status)).toEqual([
      'pending',
      'paid',
      'partially_refunded',
      'paid',
    ]);
  });

  it('should let the reconciler settle an order whose webhooks never arrived', async () => {
    await sandbox(t).setEndpoint({ enabled: false });
    const order = await placeOrder(t, product.id);
    await sandbox(t).pay(order.razorpayOrderId);
    expect((await getOrder(t, order)).status).toBe('pending');
    const reconciled = await asAdmin.post(`/api/admin/orders/${order.id}/reconcile`).expect(200);
    expect(reconciled.body.status).toBe('paid');
    expect(reconciled.body.history.at(-1)).toMatchObject({ status: 'paid', source: 'reconciler' });
    await sandbox(t).setEndpoint({ enabled: true });
  });

  it('should expire unpaid orders once, release their stock, and flag a payment that arrives later', async () => {
    const diya = await createProduct(t, admin, { stock: 10 });
    const stock = async () =>
      ((await t.http.get(`/api/products/${diya.id}`)).body as ProductBody).stock;
    const order = await placeOrder(t, diya.id, 3);
    expect(await stock()).toBe(7);
    const reconciler = t.get<Reconciler>('ReconcilerService');
    const later = new Date(Date.now() + 31 * 60_000);
    const runs = await Promise.all([reconciler.runOnce(later), reconciler.runOnce(later)]);
    expect(runs.reduce((n, r) => n + r.expired, 0)).toBeGreaterThanOrEqual(1);
    const expired = await getOrder(t, order);
    expect(expired.status).toBe('expired');
    expect(expired.history.filter((h) => h.status === 'expired')).toHaveLength(1);
    expect(await stock()).toBe(10);

    // The shopper pays anyway (Razorpay's order is still open): the money is kept, flagged, and
    // (AUTO_REFUND_LATE_PAYMENTS, on by default) given back exactly once.
    await sandbox(t).pay(order.razorpayOrderId);
    const refunded = await eventually(async () => {
      const detail = (await asAdmin.get(`/api/admin/orders/${order.id}`).expect(200)).body as {
        status: string;
        refundRequired: boolean;
        flaggedPayments: { paymentId: string; reason: string; refunded: boolean }[];
        refunds: { paymentId: string; amount: number }[];
      };
      return detail.flaggedPayments[0]?.refunded ? detail : null;
    });
    expect(refunded).toMatchObject({ status: 'expired', refundRequired: false });
    expect(refunded.flaggedPayments).toEqual([
      expect.objectContaining({
        paymentId: expect.stringMatching(/^pay_/),
        reason: 'late_payment',
      }),
    ]);
    expect(refunded.refunds).toEqual([
      expect.objectContaining({
        paymentId: refunded.flaggedPayments[0].paymentId,
        amount: order.amount,
      }),
    ]);
    expect(await stock()).toBe(10);
    const metrics = await scrapeMetrics(t);
    expect(metrics.text).toMatch(/shop_late_payments_total [1-9]/);
    // Nothing is left to give back: the order was never paid and its stray payment is refunded.
    await asAdmin.post(`/api/admin/orders/${order.id}/refunds`).expect(409);
    await reconciler.runOnce(later);
    const atRazorpay = await sandbox(t)
      .call('get', `/v1/payments/${refunded.flaggedPayments[0].paymentId}/refunds`)
      .expect(200);
    expect(atRazorpay.body.count).toBe(1);
  });

  it('should give back, once, the stock of a placement killed before it recorded its order', async () => {
    const lamp = await createProduct(t, admin, { stock: 10 });
    const stock = async () =>
      ((await t.http.get(`/api/products/${lamp.id}`)).body as ProductBody).stock;
    const recorded = await placeOrder(t, lamp.id, 2);
    // What a placement killed between its two writes leaves: units taken, a marker, no order.
    const deadOrderId = Types.ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 31);
    const products = t.app
      .get<Connection>('DatabaseConnection')
      .db!.collection<{ stock: number; reservations: string[] }>('products');
    await products.updateOne(
      { _id: new Types.ObjectId(lamp.id) },
      { $inc: { stock: -3 }, $push: { reservations: `${deadOrderId.toHexString()}:3` } },
    );
    // A marker whose order exists (killed after recording it) keeps its units with that order.
    await products.updateOne(
      { _id: new Types.ObjectId(lamp.id) },
      { $push: { reservations: `${recorded.id}:2` } },
    );
    expect(await stock()).toBe(5);

    const reconciler = t.get<Reconciler>('ReconcilerService');
    const later = new Date(Date.now() + 61_000);
    const runs = await Promise.all([reconciler.runOnce(later), reconciler.runOnce(later)]);
    expect(runs.map((r) => r.extra.abandonedReservationsReleased).sort()).toEqual([0, 1]);
    expect(await stock()).toBe(8);
    expect((await products.findOne({ _id: new Types.ObjectId(lamp.id) }))!.reservations).toEqual(
      [],
    );
    expect((await getOrder(t, recorded)).status).toBe('pending');
    await reconciler.runOnce(later);
    expect(await stock()).toBe(8);
  });

  it('should filter the operator order list by status and email', async () => {
    const res = await asAdmin
      .get('/api/admin/orders?status=expired&email=asha@example.com&limit=5')
      .expect(200);
    expect(res.body).toMatchObject({ limit: 5, total: expect.any(Number), totalCapped: false });
    expect(res.body.items.every((o: { status: string }) => o.status === 'expired')).toBe(true);
    await asAdmin.get('/api/admin/orders?status=bogus').expect(400);
    await asAdmin.get('/api/admin/orders?from=not-a-date').expect(400);
  });
});
