import {
  adminToken,
  createProduct,
  CUSTOMER,
  getOrder,
  placeOrder,
  ProductBody,
  registerUser,
  sandbox,
} from './support/api';
import { Connection, Types } from 'mongoose';
import { MARKER_REMOVAL_BATCH_MS } from '../src/orders/stock-reservations';
import { startTestApp, TestApp } from './support/test-app';

describe('Orders (e2e)', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp('orders', { RAZORPAY_TIMEOUT_MS: '1500' });
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  const stockOf = async (p: ProductBody) =>
    ((await t.http.get(`/api/products/${p.id}`).expect(200)).body as ProductBody).stock;
  const ordersRecordedFor = async (email: string) =>
    (
      await t.http
        .get(`/api/admin/orders?email=${encodeURIComponent(email)}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body.total as number;

  it('should price the order from the catalog and reserve stock when a guest orders', async () => {
    const product = await createProduct(t, admin, { price: 129900, stock: 5 });
    const order = await placeOrder(t, product.id, 2);
    expect(order).toMatchObject({
      status: 'pending',
      amount: 259800,
      currency: 'INR',
      razorpayKeyId: 'rzp_test_SandboxKey0001',
    });
    expect(order.razorpayOrderId).toMatch(/^order_[A-Za-z0-9]{14}$/);
    expect(order.accessToken).toEqual(expect.any(String));
    expect(
      new Date((order as unknown as { expiresAt: string }).expiresAt).getTime(),
    ).toBeGreaterThan(Date.now());
    expect(await stockOf(product)).toBe(3);
  });

  it('should remove the reservation markers of recorded orders within one batch', async () => {
    const product = await createProduct(t, admin, { stock: 10 });
    const products = t.app
      .get<Connection>('DatabaseConnection')
      .db!.collection<{ reservations: string[] }>('products');
    const markers = async () =>
      (await products.findOne({ _id: new Types.ObjectId(product.id) }))!.reservations;
    const orders = await Promise.all([1, 2, 3].map(() => placeOrder(t, product.id)));
    expect(await stockOf(product)).toBe(7);
    await new Promise((resolve) => setTimeout(resolve, MARKER_REMOVAL_BATCH_MS + 200));
    expect(await markers()).toEqual([]);
    for (const order of orders) expect((await getOrder(t, order)).status).toBe('pending');
  });

  it('should reject client-sent prices and amounts with 400', async () => {
    const product = await createProduct(t, admin);
    for (const body of [
      { items: [{ productId: product.id, quantity: 1, price: 1 }], customer: CUSTOMER },
      { items: [{ productId: product.id, quantity: 1 }], customer: CUSTOMER, amount: 100 },
    ]) {
      const res = await t.http.post('/api/orders').send(body).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/price|amount/),
      });
    }
    expect(await stockOf(product)).toBe(10);
  });

  it.each([
    ['no items', { items: [], customer: CUSTOMER }],
    [
      'zero quantity',
      { items: [{ productId: '64b7f0000000000000000000', quantity: 0 }], customer: CUSTOMER },
    ],
    ['malformed product id', { items: [{ productId: 'nope', quantity: 1 }], customer: CUSTOMER }],
    [
      'bad phone',
      {
        items: [{ productId: '64b7f0000000000000000000', quantity: 1 }],
        customer: { ...CUSTOMER, contact: '12345' },
      },
    ],
    [
      'bad email',
      {
        items: [{ productId: '64b7f0000000000000000000', quantity: 1 }],
        customer: { ...CUSTOMER, email: 'x' },
      },
    ],
  ])('should answer 400 for %s', async (_, body) => {
    await t.http.post('/api/orders').send(body).expect(400);
  });

  it('should answer 404 for an unknown product and 409 when stock is short', async () => {
    await t.http
      .post('/api/orders')
      .send({ items: [{ productId: '64b7f0000000000000000000', quantity: 1 }], customer: CUSTOMER })
      .expect(404);
    const product = await createProduct(t, admin, { stock: 1 });
    const res = await t.http
      .post('/api/orders')
      .send({ items: [{ productId: product.id, quantity: 2 }], customer: CUSTOMER })
      .expect(409);
    expect(res.body.message).toMatch(/stock/i);
    expect(await stockOf(product)).toBe(1);
  });

  it('should give back stock already reserved for earlier lines when a later line is short', async () => {
    const plenty = await createProduct(t, admin, { stock: 10 });
    const scarce = await createProduct(t, admin, { stock: 1 });
    await t.http
      .post('/api/orders')
      .send({
        items: [
          { productId: plenty.id, quantity: 3 },
          { productId: scarce.id, quantity: 2 },
        ],
        customer: CUSTOMER,
      })
      .expect(409);
    expect(await stockOf(plenty)).toBe(10);
    expect(await stockOf(scarce)).toBe(1);
  });

  it('should return the same order for a repeated Idempotency-Key and 409 for a different body', async () => {
    const product = await createProduct(t, admin, { stock: 10 });
    const body = { items: [{ productId: product.id, quantity: 1 }], customer: CUSTOMER };
    const first = await t.http
      .post('/api/orders')
      .set('Idempotency-Key', 'key-abc-123')
      .send(body)
      .expect(201);
    const again = await t.http
      .post('/api/orders')
      .set('Idempotency-Key', 'key-abc-123')
      .send(body)
      .expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.razorpayOrderId).toBe(first.body.razorpayOrderId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await t.http
      .post('/api/orders')
      .set('Idempotency-Key', 'key-abc-123')
      .send({ ...body, items: [{ productId: product.id, quantity: 2 }] })
      .expect(409);
    expect(await stockOf(product)).toBe(9);
  });

  it('should make one order from concurrent requests with one Idempotency-Key', async () => {
    const product = await createProduct(t, admin, { stock: 10 });
    const body = { items: [{ productId: product.id, quantity: 1 }], customer: CUSTOMER };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.http.post('/api/orders').set('Idempotency-Key', 'double-click-1').send(body),
      ),
    );
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(await stockOf(product)).toBe(9);
  });

  it('should sell exactly 5 units when 30 orders race for them', async () => {
    const product = await createProduct(t, admin, { stock: 5 });
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.http
          .post('/api/orders')
          .send({ items: [{ productId: product.id, quantity: 1 }], customer: CUSTOMER }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(25);
    expect(await stockOf(product)).toBe(0);
  });

  it('should show an order to its guest token, its owner and an admin, and 404 to anyone else', async () => {
    const product = await createProduct(t, admin);
    const owner = await registerUser(t);
    const stranger = await registerUser(t);
    const order = await placeOrder(t, product.id, 1, owner.token);
    await getOrder(t, order);
    await t.http
      .get(`/api/orders/${order.id}`)
      .set('Authorization', `Bearer ${owner.token}`)
      .expect(200);
    await t.http.get(`/api/orders/${order.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
    const hidden = await t.http
      .get(`/api/orders/${order.id}`)
      .set('Authorization', `Bearer ${stranger.token}`)
      .expect(404);
    expect(hidden.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Order not found',
      code: 'ORDER_NOT_FOUND',
    });
    await t.http.get(`/api/orders/${order.id}`).expect(404);
    await t.http.get(`/api/orders/${order.id}`).set('X-Order-Token', 'forged-token').expect(404);
    await t.http.get('/api/orders/not-an-id').expect(400);
  });

  it('should answer 503, release the stock and record nothing when Razorpay hangs during order creation; a retry with the same key succeeds', async () => {
    const product = await createProduct(t, admin, { stock: 3 });
    const customer = { ...CUSTOMER, email: `hang-${Date.now()}@example.com` };
    const body = { items: [{ productId: product.id, quantity: 2 }], customer };
    await sandbox(t).fault({ target: 'api', type: 'hang', count: 1, match: 'POST /v1/orders' });
    const started = Date.now();
    const res = await t.http.post('/api/orders').set('Idempotency-Key', 'hang-1').send(body);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/Razorpay/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await stockOf(product)).toBe(3);
    // Razorpay's order is created before ours is recorded: a failed attempt leaves no order.
    expect(await ordersRecordedFor(customer.email)).toBe(0);
    const retried = await t.http
      .post('/api/orders')
      .set('Idempotency-Key', 'hang-1')
      .send(body)
      .expect(201);
    expect(retried.body.razorpayOrderId).toMatch(/^order_/);
    expect(await stockOf(product)).toBe(1);
  });

  it('should refuse a placement the reconciler gave up on while Razorpay was slow, and give its units back once', async () => {
    const product = await createProduct(t, admin, { stock: 3 });
    const customer = { ...CUSTOMER, email: `lapsed-${Date.now()}@example.com` };
    await sandbox(t).fault({
      target: 'api',
      type: 'latency',
      delayMs: 1000,
      count: 1,
      match: 'POST /v1/orders',
    });
    // then() sends the request now; it is awaited after the reconciler has run.
    const placed = t.http
      .post('/api/orders')
      .send({ items: [{ productId: product.id, quantity: 2 }], customer })
      .then((res) => res);
    // The units are taken before Razorpay is asked; the reconciler, a minute on, finds them held
    // for an order that does not exist and gives them back.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await stockOf(product)).toBe(1);
    const reconciler = t.get<{ runOnce(now: Date): Promise<{ extra: Record<string, number> }> }>(
      'ReconcilerService',
    );
    const run = await reconciler.runOnce(new Date(Date.now() + 61_000));
    expect(run.extra.abandonedReservationsReleased).toBe(1);
    expect(await stockOf(product)).toBe(3);

    const res = await placed;
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'OUT_OF_STOCK',
      message: expect.stringMatching(/too long/),
    });
    expect(await stockOf(product)).toBe(3);
    expect(await ordersRecordedFor(customer.email)).toBe(0);
    const again = await reconciler.runOnce(new Date(Date.now() + 61_000));
    expect(again.extra.abandonedReservationsReleased).toBe(0);
    expect(await stockOf(product)).toBe(3);
  });

  it('should answer 502 when Razorpay fails with a 5xx and keep the stock', async () => {
    const product = await createProduct(t, admin, { stock: 3 });
    await sandbox(t).fault({
      target: 'api',
      type: 'error',
      status: 500,
      count: 1,
      match: 'POST /v1/orders',
    });
    const res = await t.http
      .post('/api/orders')
      .send({ items: [{ productId: product.id, quantity: 1 }], customer: CUSTOMER });
    expect(res.status).toBe(502);
    expect(await stockOf(product)).toBe(3);
  });
});
