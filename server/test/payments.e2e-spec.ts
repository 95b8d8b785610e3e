import {
  adminToken,
  createProduct,
  eventually,
  getOrder,
  placeOrder,
  ProductBody,
  sandbox,
  signCheckout,
} from './support/api';
import { startTestApp, TestApp } from './support/test-app';

describe('Payment verification (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let product: ProductBody;

  beforeAll(async () => {
    t = await startTestApp('payments');
    admin = await adminToken(t);
    product = await createProduct(t, admin, { stock: 100, price: 59900 });
  });
  afterAll(() => t.close());

  const detail = async (id: string) =>
    (
      await t.http
        .get(`/api/admin/orders/${id}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body as {
      status: string;
      failedVerifications: number;
      payments: { id: string; status: string }[];
      history: { status: string; source: string }[];
      webhookEvents: { event: string; status: string }[];
    };

  it('should mark the order paid when the checkout handler response is verified', async () => {
    const order = await placeOrder(t, product.id);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const res = await t.http.post('/api/payments/verify').send(handler).expect(200);
    expect(res.body).toMatchObject({ id: order.id, status: 'paid', paidAt: expect.any(String) });
    const again = await t.http.post('/api/payments/verify').send(handler).expect(200);
    expect(again.body.status).toBe('paid');
    const paidMoves = (await detail(order.id)).history.filter((h) => h.status === 'paid');
    expect(paidMoves).toHaveLength(1);
  });

  it('should reject a bad signature with 400, change nothing and record the attempt', async () => {
    const order = await placeOrder(t, product.id);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const forged = {
      ...handler,
      razorpay_signature: signCheckout(order.razorpayOrderId, 'pay_forged00000000'),
    };
    const res = await t.http.post('/api/payments/verify').send(forged).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'PAYMENT_SIGNATURE_INVALID' });
    expect((await detail(order.id)).failedVerifications).toBe(1);
  });

  it('should check the signature against the order id we stored, not the one posted', async () => {
    const a = await placeOrder(t, product.id);
    const b = await placeOrder(t, product.id);
    const paidA = await sandbox(t).pay(a.razorpayOrderId);
    // A valid signature for order A replayed against order B must not pay B.
    await t.http
      .post('/api/payments/verify')
      .send({ ...paidA, razorpay_order_id: b.razorpayOrderId })
      .expect(400);
    expect((await getOrder(t, b)).status).toBe('pending');
  });

  it('should answer 400 for malformed or extra fields and 404 for an unknown Razorpay order', async () => {
    await t.http.post('/api/payments/verify').send({ razorpay_order_id: 'order_x' }).expect(400);
    await t.http
      .post('/api/payments/verify')
      .send({
        razorpay_order_id: 'order_x',
        razorpay_payment_id: 'pay_x',
        razorpay_signature: 'a'.repeat(64),
        extra: 1,
      })
      .expect(400);
    await t.http
      .post('/api/payments/verify')
      .send({
        razorpay_order_id: 'order_Unknown0000000',
        razorpay_payment_id: 'pay_x',
        razorpay_signature: 'a'.repeat(64),
      })
      .expect(404);
  });

  it('should settle from the webhooks alone when the shopper closes the tab', async () => {
    const order = await placeOrder(t, product.id);
    await sandbox(t).pay(order.razorpayOrderId);
    const paid = await eventually(async () => {
      const o = await getOrder(t, order);
      return o.status === 'paid' ? o : null;
    });
    expect(paid.history.find((h) => h.status === 'paid')?.source).toBe('webhook');
  });

  it('should make one transition when verify races the webhooks for one payment', async () => {
    const stockBefore = ((await t.http.get(`/api/products/${product.id}`)).body as ProductBody)
      .stock;
    const order = await placeOrder(t, product.id, 2);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const verifies = await Promise.all(
      Array.from({ length: 5 }, () => t.http.post('/api/payments/verify').send(handler)),
    );
    expect(verifies.every((r) => r.status === 200 && r.body.status === 'paid')).toBe(true);
    const settled = await eventually(async () => {
      const d = await detail(order.id);
      return d.webhookEvents.filter((e) => e.status === 'processed').length >= 3 ? d : null;
    });
    expect(settled.history.filter((h) => h.status === 'paid')).toHaveLength(1);
    expect(settled.payments).toHaveLength(1);
    expect(settled.payments[0].status).toBe('captured');
    const stockAfter = ((await t.http.get(`/api/products/${product.id}`)).body as ProductBody)
      .stock;
    expect(stockAfter).toBe(stockBefore - 2);
  });

  it('should keep the order payable after a failed attempt and record the reason', async () => {
    const order = await placeOrder(t, product.id);
    const failed = await sandbox(t).pay(order.razorpayOrderId, 'failure');
    expect(failed.error?.code).toEqual(expect.any(String));
    const withError = await eventually(async () => {
      const o = await getOrder(t, order);
      return o.lastPaymentError ? o : null;
    });
    expect(withError.status).toBe('pending');
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const paid = await t.http.post('/api/payments/verify').send(handler).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', lastPaymentError: null });
  });

  it('should mark the order paid when a failed payment is authorised late', async () => {
    await sandbox(t).fault({ target: 'webhooks', type: 'late_authorization', delayMs: 300 });
    const order = await placeOrder(t, product.id);
    const attempt = await sandbox(t).pay(order.razorpayOrderId);
    expect(attempt.error?.code).toEqual(expect.any(String)); // the shopper saw a failure
    const paid = await eventually(async () => {
      const o = await getOrder(t, order);
      return o.status === 'paid' ? o : null;
    });
    expect(paid.lastPaymentError).toBeNull();
    const payments = (await detail(order.id)).payments;
    expect(payments).toEqual([
      expect.objectContaining({ id: attempt.error?.metadata.payment_id, status: 'captured' }),
    ]);
  });

  it('should not settle on the signature when Razorpay cannot be asked, and settle once it answers', async () => {
    await sandbox(t).setEndpoint({ enabled: false }); // no webhook may settle it in between
    const order = await placeOrder(t, product.id);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    await sandbox(t).fault({
      target: 'api',
      type: 'error',
      status: 503,
      count: 3,
      match: 'GET /v1/payments',
    });
    const res = await t.http.post('/api/payments/verify').send(handler).expect(200);
    // A signature proves an authorisation at most: pending, and shown as being confirmed.
    expect(res.body).toMatchObject({ status: 'pending', paymentState: 'confirming' });
    await sandbox(t).clearFaults();
    await sandbox(t).setEndpoint({ enabled: true });
    const reconciled = await t.http
      .post(`/api/admin/orders/${order.id}/reconcile`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(reconciled.body).toMatchObject({ status: 'paid', paymentState: 'settled' });
  });
});
