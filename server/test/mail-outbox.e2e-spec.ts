// Order mail through the outbox, delivered over SMTP to a real mail catcher (MailDev, started as
// `npm start` starts it) and read back through the catcher's REST API, on the sandbox's
// Razorpay-like defaults (asynchronous capture, duplicated and reordered webhook deliveries).
import {
  adminToken,
  createProduct,
  CUSTOMER,
  eventually,
  placeOrder,
  ProductBody,
  sandbox,
  deliverWebhook,
  paymentCapturedEvent,
} from './support/api';
import { Catcher, caught, startCatcher, stopCatcher } from './support/mail-catcher';
import { startTestApp, TestApp } from './support/test-app';

interface OutboxItem {
  id: string;
  to: string;
  kind: string;
  subject: string;
  status: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  orderId: string;
  orderNumber: string;
}

interface Reconciler {
  runOnce(now?: Date): Promise<{ expired: number; extra: Record<string, number> }>;
}

describe('Order mail through the outbox (e2e, real SMTP to MailDev)', () => {
  let catcher: Catcher;
  let t: TestApp;
  let admin: string;
  let product: ProductBody;
  let reconciler: Reconciler;

  beforeAll(async () => {
    catcher = await startCatcher();
    t = await startTestApp('mail-outbox', {
      SMTP_URL: catcher.smtpUrl,
      MAIL_POLL_SECONDS: '1',
      MAIL_RETRY_SECONDS: '1',
      SHOP_URL: 'https://dukaan.example',
      SHOP_NAME: 'Dukaan',
      MAIL_FROM: 'Dukaan <orders@dukaan.example>',
    });
    admin = await adminToken(t);
    product = await createProduct(t, admin, {
      name: 'Block-printed cotton kurta',
      stock: 500,
      price: 123450,
    });
    reconciler = t.get<Reconciler>('ReconcilerService');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await stopCatcher(catcher);
  });

  const asAdmin = (path: string) => t.http.get(path).set('Authorization', `Bearer ${admin}`);
  const outboxFor = async (orderId: string) =>
    (await asAdmin(`/api/admin/outbox?orderId=${orderId}`).expect(200)).body.items as OutboxItem[];
  const mailsNaming = async (orderNumber: string) =>
    (await caught(catcher)).filter((m) => m.subject.includes(orderNumber));
  const verify = (handler: object) => t.http.post('/api/payments/verify').send(handler);
  const deliver = (body: string, eventId: string) => deliverWebhook(t, body, eventId);

  it('sends exactly one confirmation while verify calls, webhooks and reconciler runs race to pay', async () => {
    const order = await placeOrder(t, product.id, 2);
    expect(order).toMatchObject({ orderNumber: expect.stringMatching(/^DK-\d{6}$/) });
    const { orderNumber } = order as typeof order & { orderNumber: string };
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const paymentId = handler.razorpay_payment_id;
    const body = paymentCapturedEvent(order.razorpayOrderId, order.amount, paymentId);

    // Five verify calls, five deliveries of one event and four more of others, three reconciler
    // runs, all at once; the sandbox delivers its own (duplicated) webhooks meanwhile.
    await Promise.all([
      ...Array.from({ length: 5 }, () => verify(handler)),
      ...Array.from({ length: 5 }, () => deliver(body, `evt_mail_race_${paymentId}`)),
      ...Array.from({ length: 4 }, (_, i) => deliver(body, `evt_mail_race_${paymentId}_${i}`)),
      ...Array.from({ length: 3 }, () => reconciler.runOnce()),
    ]);
    await eventually(async () => (await outboxFor(order.id))[0]?.status === 'sent', 30_000);
    await eventually(async () => (await mailsNaming(orderNumber)).length > 0, 15_000);

    // Later reports of the same payment and reconciler cycles change nothing.
    await Promise.all([verify(handler), reconciler.runOnce()]);
    await new Promise((r) => setTimeout(r, 2500));
    const mails = await mailsNaming(orderNumber);
    expect(mails).toHaveLength(1);
    const outbox = await outboxFor(order.id);
    expect(outbox).toEqual([
      {
        id: `${order.id}:paid`,
        to: CUSTOMER.email,
        kind: 'paid',
        subject: `Dukaan: order ${orderNumber} is confirmed`,
        status: 'sent',
        attempts: 1,
        createdAt: expect.any(String),
        sentAt: expect.any(String),
        orderId: order.id,
        orderNumber,
      },
    ]);

    const [mail] = mails;
    expect(mail.to.map((a) => a.address)).toEqual([CUSTOMER.email]);
    // Plain text: shop, number, line with quantity and en-IN rupees, total, method, guest link.
    expect(mail.text).toContain(orderNumber);
    expect(mail.text).toContain('2 × Block-printed cotton kurta (₹1,234.50 each): ₹2,469.00');
    expect(mail.text).toContain('Total paid: ₹2,469.00');
    expect(mail.text).toMatch(/Payment method: (Card|UPI|Net banking|Wallet)/);
    expect(mail.text).toContain(
      `https://dukaan.example/orders/${order.id}?token=${encodeURIComponent(order.accessToken)}`,
    );
    expect(mail.text).toContain('— Dukaan');
    // HTML part with the same facts.
    expect(mail.html).toContain('<h1 style="font-size:20px">Dukaan</h1>');
    expect(mail.html).toContain('₹2,469.00');
    expect(mail.html).toContain(`href="https://dukaan.example/orders/${order.id}?token=`);
  });

  it('links a signed-in customer to the order page without a token', async () => {
    const res = await t.http
      .post('/api/auth/register')
      .send({
        name: 'Meera Iyer',
        email: `meera${Date.now()}@example.com`,
        password: 'meera-pass-1',
      })
      .expect(201);
    const order = await placeOrder(t, product.id, 1, res.body.accessToken as string);
    const { orderNumber } = order as typeof order & { orderNumber: string };
    await verify(await sandbox(t).pay(order.razorpayOrderId)).expect(200);
    const [mail] = await eventually(async () => {
      const found = await mailsNaming(orderNumber);
      return found.length > 0 && found;
    }, 30_000);
    expect(mail.text).toContain(`See your order: https://dukaan.example/orders/${order.id}\n`);
    expect(mail.text).not.toContain('token=');
  });

  it('records a confirmation a crash lost between the transition and the insert, once', async () => {
    const order = await placeOrder(t, product.id);
    const { orderNumber } = order as typeof order & { orderNumber: string };
    await verify(await sandbox(t).pay(order.razorpayOrderId)).expect(200);
    await eventually(async () => (await outboxFor(order.id))[0]?.status === 'sent', 30_000);
    // As if the process had died right after the transition: no outbox record, no mail.
    const db = t.app.get<{
      collection(n: string): { deleteOne(f: object): Promise<{ deletedCount: number }> };
    }>('DatabaseConnection');
    await expect(db.collection('outbox').deleteOne({ _id: `${order.id}:paid` })).resolves.toEqual(
      expect.objectContaining({ deletedCount: 1 }),
    );
    await fetch(`${catcher.apiUrl}/email/all`, { method: 'DELETE' });

    const first = await reconciler.runOnce();
    expect(first.extra.confirmationsRecorded).toBe(1);
    const second = await reconciler.runOnce();
    expect(second.extra.confirmationsRecorded).toBe(0);
    await eventually(async () => (await mailsNaming(orderNumber)).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailsNaming(orderNumber)).toHaveLength(1);
  });

  it('mails a partial refund with its amount and when it reaches the customer', async () => {
    const order = await placeOrder(t, product.id);
    const { orderNumber } = order as typeof order & { orderNumber: string };
    await verify(await sandbox(t).pay(order.razorpayOrderId)).expect(200);
    await t.http
      .post(`/api/admin/orders/${order.id}/refunds`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Idempotency-Key', `mail-refund-${order.id}`)
      .send({ amount: 50000 })
      .expect(201);
    const refundMail = await eventually(async () => {
      const found = (await mailsNaming(orderNumber)).filter((m) => /refund/i.test(m.subject));
      return found.length > 0 && found;
    }, 40_000);
    expect(refundMail).toHaveLength(1);
    expect(refundMail[0].subject).toBe(`Dukaan: refund of ₹500.00 for order ${orderNumber}`);
    expect(refundMail[0].text).toMatch(/we have refunded ₹500\.00 for your order DK-\d{6}/);
    expect(refundMail[0].text).toMatch(/within a few minutes|5–7 working days/);
    expect(refundMail[0].text).toContain('Refunded in all: ₹500.00 of ₹1,234.50');
    const kinds = (await outboxFor(order.id)).map((m) => m.kind).sort();
    expect(kinds).toEqual(['paid', 'refund']);
  });

  it('mails an order that expired after a failed payment attempt, and not one nobody tried to pay', async () => {
    const tried = await placeOrder(t, product.id);
    const untried = await placeOrder(t, product.id);
    await sandbox(t).pay(tried.razorpayOrderId, 'failure');
    await eventually(async () => {
      const res = await asAdmin(`/api/admin/orders/${tried.id}`).expect(200);
      return res.body.lastPaymentError !== null;
    }, 20_000);
    const later = new Date(Date.now() + 31 * 60_000);
    await reconciler.runOnce(later);
    await eventually(async () => (await outboxFor(tried.id))[0]?.status === 'sent', 30_000);
    const [expired] = await outboxFor(tried.id);
    expect(expired).toMatchObject({ kind: 'expired', id: `${tried.id}:expired` });
    expect(await outboxFor(untried.id)).toEqual([]);
    const { orderNumber } = tried as typeof tried & { orderNumber: string };
    const [mail] = await eventually(async () => {
      const found = await mailsNaming(orderNumber);
      return found.length > 0 && found;
    }, 15_000);
    expect(mail.subject).toBe(`Dukaan: order ${orderNumber} was not paid`);
  });

  it('lists the outbox for operators by recipient and status, and only for them', async () => {
    const byTo = await asAdmin(`/api/admin/outbox?to=${CUSTOMER.email}&status=sent`).expect(200);
    expect(byTo.body.total).toBeGreaterThanOrEqual(3);
    for (const item of byTo.body.items as OutboxItem[]) {
      expect(item).toMatchObject({ to: CUSTOMER.email, status: 'sent' });
      expect(Object.keys(item).sort()).toEqual(
        [
          'attempts',
          'createdAt',
          'id',
          'kind',
          'orderId',
          'orderNumber',
          'sentAt',
          'status',
          'subject',
          'to',
        ].sort(),
      );
    }
    await asAdmin('/api/admin/outbox?status=bogus').expect(400);
    await t.http.get('/api/admin/outbox').expect(401);
    await t.http
      .post('/api/admin/outbox/nope:paid/resend')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
  });
});
