import Razorpay from 'razorpay';
import {
  call,
  expectSameShape,
  fixture,
  pay,
  Receiver,
  sleep,
  startSandbox,
  waitFor,
  WEBHOOK_SECRET,
  type Harness,
} from './helpers';

const OPTIONAL = [
  'token_id',
  'customer_id',
  'upi',
  'base_amount',
  'amount_transferred',
  'card',
  'iin',
];

describe('signed webhooks', () => {
  let h: Harness;
  let rx: Receiver;
  beforeEach(async () => {
    rx = await new Receiver().start();
    h = await startSandbox({ webhookUrl: rx.url });
  });
  afterEach(async () => {
    await h.stop();
    await rx.stop();
  });

  const order = (extra: Record<string, unknown> = {}) =>
    h.rzp.orders.create({ amount: 50000, currency: 'INR', ...extra } as never);

  it('should deliver authorized, captured and order.paid with valid signatures and Razorpay envelopes', async () => {
    const o = await order();
    const res = await pay(h.base, o.id, 'success', { method: 'card' });
    await waitFor(() => rx.received.length === 3, 5000, '3 events');
    const names = rx.received.map((r) => r.json.event).sort();
    expect(names).toEqual(['order.paid', 'payment.authorized', 'payment.captured']);
    for (const r of rx.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-razorpay-event-id']).toMatch(/^evt_[A-Za-z0-9]{14}$/);
      const signature = r.headers['x-razorpay-signature'] as string;
      // Verified over the exact bytes received, with the SDK's own helper.
      expect(
        Razorpay.validateWebhookSignature(r.raw.toString('utf8'), signature, WEBHOOK_SECRET),
      ).toBe(true);
      expect(
        Razorpay.validateWebhookSignature(r.raw.toString('utf8'), signature, 'other-secret'),
      ).toBe(false);
      expect(r.json).toMatchObject({ entity: 'event', account_id: expect.stringMatching(/^acc_/) });
    }
    // Payloads are snapshots: payment.authorized still says "authorized" although it is captured now.
    const authorized = rx.events('payment.authorized')[0].json;
    expect(authorized.payload.payment.entity).toMatchObject({
      id: res.body.razorpay_payment_id,
      status: 'authorized',
      captured: false,
    });
    expect(authorized.contains).toEqual(['payment']);
    expectSameShape(authorized, fixture('webhooks__payments__001.json'), OPTIONAL);
    const captured = rx.events('payment.captured')[0].json;
    expect(captured.payload.payment.entity).toMatchObject({ status: 'captured', captured: true });
    expectSameShape(captured, fixture('webhooks__payments__005.json'), OPTIONAL);
    const paid = rx.events('order.paid')[0].json;
    expect(paid.contains).toEqual(['payment', 'order']);
    expect(paid.payload.order.entity).toMatchObject({
      id: o.id,
      status: 'paid',
      amount_paid: 50000,
      amount_due: 0,
    });
    expectSameShape(paid, fixture('webhooks__orders__031.json'), OPTIONAL);
  });

  it('should deliver payment.failed on failure, shaped like the sample', async () => {
    const o = await order();
    await pay(h.base, o.id, 'failure', { method: 'upi' });
    const r = await waitFor(() => rx.events('payment.failed')[0], 5000, 'payment.failed');
    expect(r.json.payload.payment.entity).toMatchObject({
      status: 'failed',
      vpa: 'failure@razorpay',
      error_reason: 'payment_failed',
    });
    expectSameShape(r.json, fixture('webhooks__payments__011.json'), OPTIONAL);
  });

  it('should deliver refund.created and refund.processed with refund and payment', async () => {
    const o = await order();
    const res = await pay(h.base, o.id, 'success');
    await waitFor(() => rx.received.length === 3);
    await h.rzp.payments.refund(res.body.razorpay_payment_id, { amount: 10000, speed: 'optimum' });
    await waitFor(() => rx.events('refund.processed').length === 1);
    const created = rx.events('refund.created')[0].json;
    expect(created.contains).toEqual(['refund', 'payment']);
    expectSameShape(created, fixture('webhooks__refunds__034.json'), OPTIONAL);
    expectSameShape(
      rx.events('refund.processed')[0].json,
      fixture('webhooks__refunds__035.json'),
      OPTIONAL,
    );
    expect(created.payload.payment.entity).toMatchObject({
      amount_refunded: 10000,
      refund_status: 'partial',
    });
  });

  it('should escape "/" like PHP so only the raw bytes verify', async () => {
    const o = await order({ notes: { path: 'a/b' } });
    await pay(h.base, o.id, 'failure');
    const r = await waitFor(() => rx.events('payment.failed')[0]);
    const raw = r.raw.toString('utf8');
    expect(raw).toContain('a\\/b');
    const sig = r.headers['x-razorpay-signature'] as string;
    expect(Razorpay.validateWebhookSignature(raw, sig, WEBHOOK_SECRET)).toBe(true);
    expect(Razorpay.validateWebhookSignature(JSON.stringify(r.json), sig, WEBHOOK_SECRET)).toBe(
      false,
    );
  });

  it('should retry non-2xx with growing backoff and record every attempt', async () => {
    rx.respond = (_r, i) => (i < 2 ? 500 : 200);
    const o = await order();
    await pay(h.base, o.id, 'failure');
    await waitFor(() => rx.received.length === 3, 5000, 'two retries');
    const [a, b, c] = rx.received;
    expect(new Set(rx.received.map((r) => r.headers['x-razorpay-event-id'])).size).toBe(1);
    expect(a.raw.equals(b.raw) && b.raw.equals(c.raw)).toBe(true);
    // 90 s × 2^n × 0.001 → ≥ 90 ms then ≥ 180 ms.
    expect(b.at - a.at).toBeGreaterThanOrEqual(85);
    expect(c.at - b.at).toBeGreaterThanOrEqual(170);
    const list = await call(h.base, 'GET', `/_sandbox/events?order_id=${o.id}`);
    expect(list.body.items[0]).toMatchObject({
      event: 'payment.failed',
      status: 'delivered',
      attempts: [
        { status: 500, ok: false },
        { status: 500, ok: false },
        { status: 200, ok: true },
      ],
    });
    expect(list.body.items[0].payload.event).toBe('payment.failed');
  });

  it('should treat a slow receiver as failed after the delivery timeout and retry', async () => {
    rx.respond = (_r, i) => (i === 0 ? 'hang' : 200);
    const o = await order();
    await pay(h.base, o.id, 'failure');
    await waitFor(() => rx.received.length === 2, 5000, 'retry after timeout');
    const list = await call(h.base, 'GET', `/_sandbox/events?event=payment.failed`);
    expect(list.body.items[0].attempts[0]).toMatchObject({
      ok: false,
      status: null,
      error: 'timeout after 1000 ms',
    });
  });

  it('should disable the endpoint after maxDeliveryAttempts and stop delivering until re-enabled', async () => {
    rx.respond = () => 503;
    const o = await order();
    await pay(h.base, o.id, 'failure');
    await waitFor(() => rx.received.length === 4, 5000, '4 attempts');
    await sleep(50);
    const ep = await call(h.base, 'GET', '/_sandbox/endpoint');
    expect(ep.body).toMatchObject({ url: rx.url, enabled: false });
    const ev = (await call(h.base, 'GET', '/_sandbox/events')).body.items[0];
    expect(ev.status).toBe('failed');
    expect(ev.attempts).toHaveLength(4);

    // New events are recorded but not sent while disabled.
    const o2 = await order();
    await pay(h.base, o2.id, 'failure');
    await sleep(300);
    expect(rx.received).toHaveLength(4);
    const skipped = (await call(h.base, 'GET', `/_sandbox/events?order_id=${o2.id}`)).body.items[0];
    expect(skipped.status).toBe('not_sent');
    expect((await call(h.base, 'POST', `/_sandbox/events/${skipped.id}/resend`)).status).toBe(400);

    rx.respond = () => 200;
    await call(h.base, 'PUT', '/_sandbox/endpoint', { enabled: true });
    const resend = await call(h.base, 'POST', `/_sandbox/events/${skipped.id}/resend`);
    expect(resend.status).toBe(202);
    await waitFor(() => rx.received.length === 5);
    expect(rx.received[4].headers['x-razorpay-event-id']).toBe(skipped.id);
  });

  it('should not let one failing event block the others', async () => {
    rx.respond = (r) => (r.json.event === 'payment.authorized' ? 'hang' : 200);
    const o = await order();
    await pay(h.base, o.id, 'success');
    await waitFor(
      () => rx.events('order.paid').length === 1 && rx.events('payment.captured').length === 1,
      900,
    );
  });

  it('should deliver to a URL set later with setWebhookUrl', async () => {
    const other = await new Receiver().start();
    try {
      h.sandbox.setWebhookUrl(other.url);
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await waitFor(() => other.received.length === 1);
      expect(rx.received).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });
});
