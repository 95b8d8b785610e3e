import Razorpay from 'razorpay';
import {
  call,
  CALM,
  CAPTURE_ON_FLUSH,
  expectSameShape,
  fixture,
  flush,
  pay,
  payAndSettle,
  Receiver,
  sleep,
  startSandbox,
  waitFor,
  WEBHOOK_SECRET,
  type Harness,
} from './helpers';

// Per comparison: the sample shows another method than the payment compared with it.
const OPTIONAL = { 'payment.upi': 'the UPI samples only', 'payment.card': 'the card samples only' };

describe('signed webhooks', () => {
  let h: Harness;
  let rx: Receiver;
  const start = async (settings: Record<string, unknown> = {}) => {
    rx = await new Receiver().start();
    h = await startSandbox({ webhookUrl: rx.url, settings });
  };
  afterEach(async () => {
    await h.stop();
    await rx.stop();
  });

  const order = (extra: Record<string, unknown> = {}) =>
    h.rzp.orders.create({ amount: 50000, currency: 'INR', ...extra } as never);

  it('should deliver authorized, then (after the capture delay) captured and order.paid, signed, in Razorpay envelopes', async () => {
    await start(CAPTURE_ON_FLUSH);
    const o = await order();
    const res = await pay(h.base, o.id, 'success', { method: 'card' });
    await flush(h.base, ['delivery']); // releases payment.authorized if the profile held it
    expect(rx.distinct().map((r) => r.json.event)).toEqual(['payment.authorized']);
    await flush(h.base); // the capture, and its events
    const names = rx
      .distinct()
      .map((r) => r.json.event)
      .sort();
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
    await start();
    const o = await order();
    await payAndSettle(h.base, o.id, 'failure', { method: 'upi' });
    const r = await waitFor(() => rx.events('payment.failed')[0], 5000, 'payment.failed');
    expect(r.json.payload.payment.entity).toMatchObject({
      status: 'failed',
      vpa: 'failure@razorpay',
      error_reason: 'payment_failed',
    });
    expectSameShape(r.json, fixture('webhooks__payments__011.json'), OPTIONAL);
  });

  it('should send refund.created for a pending normal refund and refund.processed once processed', async () => {
    await start();
    const o = await order();
    const res = await payAndSettle(h.base, o.id, 'success', { method: 'netbanking' });
    const refund = await h.rzp.payments.refund(res.body.razorpay_payment_id, { amount: 10000 });
    expect(refund.status).toBe('pending');
    await flush(h.base, ['delivery']);
    expect(rx.distinct('refund.created')).toHaveLength(1);
    expect(rx.events('refund.processed')).toHaveLength(0);
    const created = rx.distinct('refund.created')[0].json;
    expect(created.contains).toEqual(['refund', 'payment']);
    expect(created.payload.refund.entity).toMatchObject({ status: 'pending', id: refund.id });
    expectSameShape(created, fixture('webhooks__refunds__034.json'), OPTIONAL);
    expect(created.payload.payment.entity).toMatchObject({
      amount_refunded: 10000,
      refund_status: 'partial',
    });
    await flush(h.base);
    const processed = rx.distinct('refund.processed')[0].json;
    expect(processed.payload.refund.entity).toMatchObject({ status: 'processed', id: refund.id });
    expectSameShape(processed, fixture('webhooks__refunds__035.json'), OPTIONAL);
  });

  it('should process an optimum refund instantly, or fall back to normal with refund.speed_changed', async () => {
    await start({ optimumFallbackRate: 0 });
    const o = await order();
    const res = await payAndSettle(h.base, o.id, 'success');
    const paymentId = res.body.razorpay_payment_id;
    const instant = await h.rzp.payments.refund(paymentId, { amount: 10000, speed: 'optimum' });
    expect(instant).toMatchObject({
      status: 'processed',
      speed_requested: 'optimum',
      speed_processed: 'instant',
    });
    await flush(h.base);
    expect(rx.distinct('refund.processed')).toHaveLength(1);

    await call(h.base, 'PUT', '/_sandbox/settings', { optimumFallbackRate: 1 });
    const slow = await h.rzp.payments.refund(paymentId, { amount: 10000, speed: 'optimum' });
    expect(slow).toMatchObject({ status: 'pending', speed_requested: 'optimum' });
    await flush(h.base);
    const changed = rx.distinct('refund.speed_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].json.payload.refund.entity).toMatchObject({
      id: slow.id,
      speed_requested: 'optimum',
      speed_processed: 'normal',
    });
    // The sample misplaces `created_at` inside `payload`; compare the entities it carries.
    const sample = fixture<any>('webhooks__refunds__037.json').payload;
    expectSameShape(changed[0].json.payload.refund.entity, sample.refund.entity, OPTIONAL);
    expectSameShape(changed[0].json.payload.payment.entity, sample.payment.entity, OPTIONAL);
    await expect(h.rzp.refunds.fetch(slow.id)).resolves.toMatchObject({
      status: 'processed',
      speed_processed: 'normal',
    });
    expect(rx.distinct('refund.processed').map((r) => r.json.payload.refund.entity.id)).toEqual([
      instant.id,
      slow.id,
    ]);
  });

  it('should escape "/" like PHP so only the raw bytes verify', async () => {
    await start();
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
    await start(CALM); // counts attempts exactly: no profile duplicates
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
    await start(CALM); // counts attempts exactly: no profile duplicates
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
    await start(CALM); // counts attempts exactly: no profile duplicates
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
    // About independent retry chains: capture at once so all three events exist together.
    rx = await new Receiver().start();
    h = await startSandbox({
      webhookUrl: rx.url,
      deliveryTimeoutMs: 5000,
      settings: { ...CALM, captureDelayMs: 0 },
    });
    rx.respond = (r) => (r.json.event === 'payment.authorized' ? 'hang' : 200);
    const o = await order();
    await pay(h.base, o.id, 'success');
    await waitFor(
      () => rx.events('order.paid').length === 1 && rx.events('payment.captured').length === 1,
      4000, // well before the hanging delivery's 5 s timeout
    );
  });

  it('should deliver to a URL set later with setWebhookUrl', async () => {
    await start();
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

  it('should treat a 3xx answer as a failed delivery and not follow the redirect', async () => {
    await start(CALM); // counts attempts exactly
    const target = await new Receiver().start();
    try {
      rx.redirectTo = target.url;
      rx.respond = (_r, i) => (i === 0 ? 307 : 200);
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await waitFor(() => rx.received.length === 2, 5000, 'the retry after a 307');
      const ev = (await call(h.base, 'GET', `/_sandbox/events?order_id=${o.id}`)).body.items[0];
      expect(ev.attempts).toEqual([
        expect.objectContaining({ status: 307, ok: false }),
        expect.objectContaining({ status: 200, ok: true }),
      ]);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.stop();
    }
  });

  it('should send only the events the endpoint subscribes to', async () => {
    await start();
    const sub = await call(h.base, 'PUT', '/_sandbox/endpoint', { events: ['payment.failed'] });
    expect(sub.body.events).toEqual(['payment.failed']);
    const bad = await call(h.base, 'PUT', '/_sandbox/endpoint', { events: ['payment.nope'] });
    expect(bad.status).toBe(400);
    const a = await order();
    await payAndSettle(h.base, a.id, 'success');
    const b = await order();
    await payAndSettle(h.base, b.id, 'failure');
    expect(new Set(rx.received.map((r) => r.json.event))).toEqual(new Set(['payment.failed']));
    const skipped = (await call(h.base, 'GET', `/_sandbox/events?order_id=${a.id}`)).body.items;
    expect(skipped.map((e: any) => [e.event, e.status, e.attempts.length])).toEqual([
      ['payment.authorized', 'not_subscribed', 0],
      ['payment.captured', 'not_subscribed', 0],
      ['order.paid', 'not_subscribed', 0],
    ]);
    await call(h.base, 'PUT', '/_sandbox/endpoint', { events: null });
    expect((await call(h.base, 'GET', '/_sandbox/endpoint')).body.events).toBeNull();
  });

  it('should send retries waiting on the time scale when flushed', async () => {
    rx = await new Receiver().start();
    // Real time scale: the first retry would wait 90 s.
    h = await startSandbox({ webhookUrl: rx.url, timeScale: 1, settings: CALM });
    rx.respond = (_r, i) => (i === 0 ? 500 : 200);
    const o = await order();
    await pay(h.base, o.id, 'failure');
    await waitFor(() => rx.received.length === 1);
    const pending = await call(h.base, 'GET', '/_sandbox/scheduled');
    expect(pending.body.items).toEqual([expect.objectContaining({ kind: 'retry' })]);
    const flushed = await flush(h.base);
    expect(flushed.body.ran).toEqual([expect.objectContaining({ kind: 'retry' })]);
    expect(rx.received).toHaveLength(2);
    const ev = (await call(h.base, 'GET', `/_sandbox/events?order_id=${o.id}`)).body.items[0];
    expect(ev.status).toBe('delivered');
  });
});

describe('delivery profiles', () => {
  let h: Harness;
  let rx: Receiver;
  const start = async (settings: Record<string, unknown>) => {
    rx = await new Receiver().start();
    h = await startSandbox({ webhookUrl: rx.url, settings });
  };
  afterEach(async () => {
    await h.stop();
    await rx.stop();
  });
  /** Three payment.failed events, one per order, as fast as the API allows. */
  const threeFailures = async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const o = await h.rzp.orders.create({ amount: 50000, currency: 'INR' });
      await pay(h.base, o.id, 'failure');
      ids.push(o.id);
    }
    return ids;
  };
  const plans = async () =>
    (await call(h.base, 'GET', '/_sandbox/events')).body.items.map((e: any) => e.plan);

  it('should deliver a seeded share twice, with the same id and bytes (razorpay profile)', async () => {
    await start({ duplicateRate: 1, reorderRate: 0 });
    await threeFailures();
    await flush(h.base);
    expect(rx.received).toHaveLength(6);
    const byId = new Map<unknown, Buffer[]>();
    for (const r of rx.received) {
      const id = r.headers['x-razorpay-event-id'];
      byId.set(id, [...(byId.get(id) ?? []), r.raw]);
    }
    expect([...byId.values()].map((copies) => copies.length)).toEqual([2, 2, 2]);
    for (const [a, b] of byId.values()) expect(a.equals(b)).toBe(true);
    const ev = (await call(h.base, 'GET', '/_sandbox/events')).body.items[0];
    expect(ev.plan).toEqual({ duplicate: true, hold_ms: 0, copy_at_ms: expect.any(Number) });
    expect(ev.plan.copy_at_ms).toBeLessThan(300);
    expect(ev.attempts.map((x: any) => x.copy ?? 1).sort()).toEqual([1, 2]);
  });

  it('should hold a share back within the window so later events overtake it', async () => {
    // A long window keeps every event held until the flush, so the order is the plan's.
    await start({ duplicateRate: 0, reorderRate: 1, reorderWindowMs: 60_000, deliverySeed: 3 });
    const orders = await threeFailures();
    const due = new Map<string, number>(
      (await call(h.base, 'GET', '/_sandbox/scheduled')).body.items.map((e: any) => [
        e.subject,
        Date.parse(e.due_at),
      ]),
    );
    const events = (await call(h.base, 'GET', '/_sandbox/events')).body.items;
    expect(events.map((e: any) => e.plan.hold_ms > 0)).toEqual([true, true, true]);
    // Those whose hold has not run out are still held (a short hold may already have gone).
    const later = events.filter((e: any) => (due.get(e.id) as number) > Date.now() + 200);
    expect(later.length).toBeGreaterThan(0);
    expect(later.map((e: any) => e.status)).toEqual(later.map(() => 'held'));
    await flush(h.base);
    const delivered = rx.received.map((r) => r.json.payload.payment.entity.order_id);
    // Timers and the flush both deliver by due time (emission + hold).
    const expected = events
      .map((e: any, i: number) => ({ order: orders[i], due: due.get(e.id) as number }))
      .sort((a: { due: number }, b: { due: number }) => a.due - b.due)
      .map((x: { order: string }) => x.order);
    expect(delivered).toEqual(expected);
    expect(delivered).not.toEqual(orders);
  });

  it('should make the same decisions for the same seed (replay) and others for another', async () => {
    await start({ deliverySeed: 1234 });
    await threeFailures();
    const first = await plans();
    await h.stop();
    await rx.stop();
    await start({ deliverySeed: 1234 });
    await threeFailures();
    expect(await plans()).toEqual(first);
    expect((await call(h.base, 'GET', '/_sandbox/settings')).body.deliverySeed).toBe(1234);
    // PUT a seed: the sequence restarts from it.
    await call(h.base, 'POST', '/_sandbox/reset');
    await call(h.base, 'PUT', '/_sandbox/settings', { deliverySeed: 99, reorderRate: 0.5 });
    await threeFailures();
    expect(await plans()).not.toEqual(first);
  });

  it('should deliver exactly once and in order in the calm profile', async () => {
    await start({ deliveryProfile: 'calm', duplicateRate: 1, reorderRate: 1 });
    const orders = await threeFailures();
    await waitFor(() => rx.received.length === 3);
    await sleep(100);
    expect(rx.received.map((r) => r.json.payload.payment.entity.order_id)).toEqual(orders);
    expect(await plans()).toEqual([undefined, undefined, undefined]);
  });
});
