// Order numbers (issue 14.2): short, unique, increasing, Razorpay's receipt, in every order
// response, searchable by operators; allocated by one atomic $inc, whose cost is measured here.
import type { Connection } from 'mongoose';
import {
  adminToken,
  createProduct,
  placeOrder,
  ProductBody,
  registerUser,
  sandbox,
} from './support/api';
import { startTestApp, TestApp } from './support/test-app';

const NUMBER = /^DK-\d{6}$/;
const seq = (orderNumber: string) => Number(orderNumber.slice(3));

describe('Order numbers (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let product: ProductBody;

  beforeAll(async () => {
    t = await startTestApp('mail-order-numbers');
    admin = await adminToken(t);
    product = await createProduct(t, admin, { stock: 1000, price: 25000 });
  }, 120_000);
  afterAll(() => t.close());

  const asAdmin = (path: string) => t.http.get(path).set('Authorization', `Bearer ${admin}`);

  it('gives concurrent orders distinct consecutive numbers, and later orders higher ones', async () => {
    const before = (await placeOrder(t, product.id)) as unknown as { orderNumber: string };
    const racing = (await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(t, product.id)),
    )) as unknown as { orderNumber: string }[];
    const numbers = racing.map((o) => o.orderNumber);
    for (const n of numbers) expect(n).toMatch(NUMBER);
    const sorted = numbers.map(seq).sort((a, b) => a - b);
    expect(new Set(sorted).size).toBe(20);
    expect(sorted[0]).toBe(seq(before.orderNumber) + 1);
    expect(sorted[19] - sorted[0]).toBe(19);
    const after = (await placeOrder(t, product.id)) as unknown as { orderNumber: string };
    expect(seq(after.orderNumber)).toBe(sorted[19] + 1);
  });

  it('is Razorpay receipt, and every order response carries it', async () => {
    const user = await registerUser(t);
    const order = await placeOrder(t, product.id, 1, user.token);
    const { orderNumber } = order as unknown as { orderNumber: string };
    const rzp = await sandbox(t).call('get', `/v1/orders/${order.razorpayOrderId}`).expect(200);
    expect(rzp.body.receipt).toBe(orderNumber);

    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const verified = await t.http.post('/api/payments/verify').send(handler).expect(200);
    expect(verified.body.orderNumber).toBe(orderNumber);
    const own = await t.http
      .get(`/api/orders/${order.id}`)
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    expect(own.body.orderNumber).toBe(orderNumber);
    const mine = await t.http
      .get('/api/me/orders')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    expect(mine.body.items[0].orderNumber).toBe(orderNumber);
    expect((await asAdmin(`/api/admin/orders/${order.id}`).expect(200)).body.orderNumber).toBe(
      orderNumber,
    );
  });

  it('finds an order in the admin list by its number, with or without the prefix', async () => {
    const order = (await placeOrder(t, product.id)) as unknown as {
      id: string;
      orderNumber: string;
    };
    for (const query of [
      order.orderNumber,
      order.orderNumber.toLowerCase(),
      String(seq(order.orderNumber)),
    ]) {
      const res = await asAdmin(`/api/admin/orders?orderNumber=${query}`).expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items[0]).toMatchObject({ id: order.id, orderNumber: order.orderNumber });
    }
    await asAdmin('/api/admin/orders?orderNumber=DK-999999')
      .expect(200)
      .expect((res) => {
        expect(res.body.total).toBe(0);
      });
    await asAdmin('/api/admin/orders?orderNumber=abc').expect(400);
  });

  it('allocates in one indexed write: no slower than a plain insert, a small part of placing an order', async () => {
    const { OrderNumbers } = await import('../src/orders/order-numbers');
    const connection = t.app.get<Connection>('DatabaseConnection');
    const numbers = new OrderNumbers(connection);
    const scratch = connection.collection('order_number_bench');
    const CONCURRENCY = 10;
    const ROUNDS = 5;
    const timed = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      for (let r = 0; r < ROUNDS; r++) await Promise.all(Array.from({ length: CONCURRENCY }, fn));
      return (performance.now() - started) / (CONCURRENCY * ROUNDS);
    };
    // Interleaved, so a busy moment on the shared machine hits every series alike.
    const per = { allocate: 0, insert: 0, place: 0 };
    for (let i = 0; i < 2; i++) {
      per.insert += await timed(() => scratch.insertOne({ at: new Date(), n: Math.random() }));
      per.allocate += await timed(() => numbers.next());
      per.place += await timed(() => placeOrder(t, product.id));
    }
    process.stdout.write(
      `order numbers, c=${CONCURRENCY}: allocate ${(per.allocate / 2).toFixed(1)} ms/op, ` +
        `plain insert ${(per.insert / 2).toFixed(1)} ms/op, place order ${(per.place / 2).toFixed(1)} ms/op\n`,
    );
    // The counter is one small write like any other: not a hot spot beyond the database's own
    // write gate, and a minor share of placing an order (which makes several writes and a call).
    expect(per.allocate).toBeLessThan(per.insert * 2);
    expect(per.allocate).toBeLessThan(per.place / 3);
  });
});
