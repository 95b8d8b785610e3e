import { adminToken, createProduct, placeOrder, registerUser, sandbox } from './support/api';
import { startTestApp, TestApp } from './support/test-app';

describe('My orders and purchases (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('account');
  });
  afterAll(() => t.close());

  it('should list only my own orders and answer "did I buy it" from paid orders only', async () => {
    const admin = await adminToken(t);
    const bought = await createProduct(t, admin, { name: 'Brass Diya' });
    const unpaid = await createProduct(t, admin, { name: 'Clay Planter' });
    const me = await registerUser(t, 'Me');
    const other = await registerUser(t, 'Other');

    const order = await placeOrder(t, bought.id, 1, me.token);
    await placeOrder(t, unpaid.id, 1, me.token);
    await placeOrder(t, bought.id, 1, other.token);
    await placeOrder(t, bought.id, 1); // a guest's order
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    await t.http.post('/api/payments/verify').send(handler).expect(200);

    const mine = await t.http
      .get('/api/me/orders')
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.map((o: { status: string }) => o.status).sort()).toEqual([
      'paid',
      'pending',
    ]);

    const yes = await t.http
      .get(`/api/me/purchases/${bought.id}`)
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(yes.body).toEqual({ purchased: true, orderId: order.id, paidAt: expect.any(String) });
    const pendingOnly = await t.http
      .get(`/api/me/purchases/${unpaid.id}`)
      .set('Authorization', `Bearer ${me.token}`)
      .expect(200);
    expect(pendingOnly.body).toEqual({ purchased: false, orderId: null, paidAt: null });
    const notOthers = await t.http
      .get(`/api/me/purchases/${bought.id}`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(200);
    expect(notOthers.body.purchased).toBe(false);

    await t.http.get('/api/me/orders').expect(401);
    await t.http
      .get('/api/me/purchases/bad-id')
      .set('Authorization', `Bearer ${me.token}`)
      .expect(400);
  });
});
