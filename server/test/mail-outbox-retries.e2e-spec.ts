// The sender when SMTP is down: the payment is not affected, attempts back off, the message ends
// `failed` after MAIL_MAX_ATTEMPTS, and the operator's resend delivers it once SMTP is back.
import { createServer } from 'node:net';
import { adminToken, createProduct, eventually, placeOrder, sandbox } from './support/api';
import { Catcher, caught, startCatcher, stopCatcher } from './support/mail-catcher';
import { startTestApp, TestApp } from './support/test-app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('Outbox retries (e2e, SMTP down, then MailDev)', () => {
  let t: TestApp;
  let admin: string;
  let smtpPort: number;
  let catcher: Catcher | undefined;

  beforeAll(async () => {
    smtpPort = await freePort(); // nothing listens here until the catcher starts on it
    t = await startTestApp('mail-outbox-retries', {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_RETRY_SECONDS: '1',
      MAIL_POLL_SECONDS: '1',
    });
    admin = await adminToken(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await stopCatcher(catcher);
  });

  const outboxFor = async (orderId: string) =>
    (
      await t.http
        .get(`/api/admin/outbox?orderId=${orderId}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body.items as { id: string; status: string; attempts: number; sentAt: string | null }[];

  it('pays the order, backs off, marks the mail failed, and resends it when asked', async () => {
    const product = await createProduct(t, admin, { stock: 10, price: 49900 });
    const order = await placeOrder(t, product.id);
    const handler = await sandbox(t).pay(order.razorpayOrderId);
    const paid = await t.http.post('/api/payments/verify').send(handler).expect(200);
    expect(paid.body.status).toBe('paid');

    const started = Date.now();
    const [failed] = await eventually(async () => {
      const items = await outboxFor(order.id);
      return items[0]?.status === 'failed' && items;
    }, 30_000);
    // Three attempts with 1 s, then 2 s between them: at least 3 s.
    expect(failed).toMatchObject({ id: `${order.id}:paid`, attempts: 3, sentAt: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    await t.http
      .get('/api/admin/outbox?status=failed')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200)
      .expect((res) => expect(res.body.total).toBe(1));

    catcher = await startCatcher({ MAIL_CATCHER_SMTP_PORT: String(smtpPort) });
    expect(catcher.smtpUrl).toContain(`:${smtpPort}`);
    const resent = await t.http
      .post(`/api/admin/outbox/${encodeURIComponent(failed.id)}/resend`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(resent.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    await eventually(async () => (await outboxFor(order.id))[0]?.status === 'sent', 30_000);
    const mails = (await caught(catcher)).filter((m) => m.subject.includes(paid.body.orderNumber));
    expect(mails).toHaveLength(1);
    expect((await outboxFor(order.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
