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

  it('takes one counter write per block of numbers, a burst in one more; two instances racing never share a number', async () => {
    const { OrderNumbers, ORDER_NUMBER_BLOCK } = await import('../src/orders/order-numbers');
    const connection = t.app.get<Connection>('DatabaseConnection');
    const counter = async () =>
      ((await connection.collection('counters').findOne({ _id: 'orderNumber' as never })) as {
        value: number;
      } | null)!.value;
    // Two allocators stand for two instances of the shop sharing the database.
    const first = new OrderNumbers(connection);
    const second = new OrderNumbers(connection);
    const before = await counter();
    const PER_INSTANCE = 2 * ORDER_NUMBER_BLOCK + 5;
    const [a, b] = await Promise.all(
      [first, second].map((numbers) =>
        Promise.all(Array.from({ length: PER_INSTANCE }, () => numbers.next())),
      ),
    );
    const all = [...a, ...b].map(seq);
    expect(new Set(all).size).toBe(2 * PER_INSTANCE);
    expect(Math.min(...all)).toBeGreaterThan(before);
    for (const mine of [a, b]) {
      const sequence = mine.map(seq);
      expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
    }
    // 45 at once: a block of 20, then one refill sized for the 25 still waiting — two counter
    // writes per instance (three blocks of 20 before refills were sized), no number left unused.
    expect([first.blocksTaken, second.blocksTaken]).toEqual([2, 2]);
    expect(await counter()).toBe(before + 2 * PER_INSTANCE);
    const next = seq(await first.next());
    expect(next).toBeGreaterThan(Math.max(...a.map(seq)));
    expect(first.blocksTaken).toBe(3);
    process.stdout.write(
      `order numbers: ${2 * PER_INSTANCE} numbers from 2 instances in 4 counter writes\n`,
    );
  });
});
