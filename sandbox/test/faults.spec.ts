import {
  call,
  CALM,
  CAPTURE_ON_FLUSH,
  flush,
  pay,
  payAndSettle,
  Receiver,
  sdk,
  sdkError,
  sleep,
  startSandbox,
  waitFor,
  type Harness,
} from './helpers';

describe('fault injection', () => {
  let h: Harness;
  let rx: Receiver;
  beforeEach(async () => {
    rx = await new Receiver().start();
    // About the armed faults: the calm profile keeps the profile's own duplicates out of the counts.
    h = await startSandbox({ webhookUrl: rx.url, settings: { ...CALM, ...CAPTURE_ON_FLUSH } });
  });
  afterEach(async () => {
    await h.stop();
    await rx.stop();
  });

  const fault = async (body: Record<string, unknown>) => {
    const res = await call(h.base, 'POST', '/_sandbox/faults', body);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^fault_/);
    return res.body;
  };
  const order = (extra: Record<string, unknown> = {}) =>
    h.rzp.orders.create({ amount: 50000, currency: 'INR', ...extra } as never);

  describe('api', () => {
    it('should apply a latency request after its delay even when the client has gone', async () => {
      await fault({ target: 'api', type: 'latency', delayMs: 3000, match: 'POST /v1/orders' });
      const impatient = sdk(h.base, undefined, undefined, 100);
      const started = Date.now();
      const err = await impatient.orders
        .create({ amount: 500, currency: 'INR', receipt: 'timed-out-order' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError); // the SDK's shape for a timeout (razorpay.md §10.3)
      const count = async () => (await h.rzp.orders.all({ receipt: 'timed-out-order' })).count;
      if (Date.now() - started < 2500) await expect(count()).resolves.toBe(0);
      // Then the order appears although nobody is waiting for the answer.
      for (let i = 0; i < 200 && (await count()) === 0; i++) await sleep(50);
      await expect(count()).resolves.toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2990);
    });

    it('should commit and then answer 5xx (commit_then_error)', async () => {
      const o = await order();
      const res = await payAndSettle(h.base, o.id, 'success');
      const paymentId = res.body.razorpay_payment_id;
      await fault({ target: 'api', type: 'commit_then_error', status: 502, match: '/refund' });
      const err = await sdkError(h.rzp.payments.refund(paymentId, { amount: 1000 }));
      expect(err).toEqual({
        statusCode: 502,
        error: expect.objectContaining({ code: 'GATEWAY_ERROR' }),
      });
      // The refund happened although the caller saw an error.
      const refunds = await h.rzp.payments.fetchMultipleRefund(paymentId);
      expect(refunds.items).toEqual([expect.objectContaining({ amount: 1000 })]);
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        amount_refunded: 1000,
      });
    });

    it('should commit and then drop the connection (commit_then_drop)', async () => {
      await fault({ target: 'api', type: 'commit_then_drop', match: 'POST /v1/orders' });
      const err = await order({ receipt: 'dropped-order' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError); // no response at all
      await expect(h.rzp.orders.all({ receipt: 'dropped-order' })).resolves.toMatchObject({
        count: 1,
      });
    });

    it('should answer a failing request with its own error under commit_then_error', async () => {
      await fault({ target: 'api', type: 'commit_then_error', match: 'POST /v1/orders' });
      const err = await sdkError(order({ amount: 1 }));
      expect(err.statusCode).toBe(400);
    });

    it('should delay answers with latency', async () => {
      await fault({ target: 'api', type: 'latency', delayMs: 300 });
      const started = Date.now();
      await order();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const quick = Date.now();
      await order();
      expect(Date.now() - quick).toBeLessThan(250);
    });

    it('should hang until the SDK gives up, then answer normally', async () => {
      await fault({ target: 'api', type: 'hang', match: 'POST /v1/orders' });
      const impatient = sdk(h.base, undefined, undefined, 300);
      const started = Date.now();
      const err = await impatient.orders.create({ amount: 500 } as never).catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      // axios timeouts have no response, so the SDK's normalizeError itself throws (razorpay.md §10.3).
      expect(err).toBeInstanceOf(TypeError);
      await expect(impatient.orders.create({ amount: 500 } as never)).resolves.toMatchObject({
        entity: 'order',
      });
    });

    it('should answer 5xx with the SERVER_ERROR envelope for `count` calls', async () => {
      await fault({ target: 'api', type: 'error', count: 2, status: 503 });
      for (let i = 0; i < 2; i++) {
        const err = await sdkError(order());
        expect(err).toEqual({
          statusCode: 503,
          error: {
            code: 'SERVER_ERROR',
            description:
              'The server encountered an error. The incident has been reported to admins.',
            metadata: {},
          },
        });
      }
      await expect(order()).resolves.toMatchObject({ entity: 'order' });
    });

    it('should rate-limit with 429 only the matching route', async () => {
      const o = await order();
      await fault({ target: 'api', type: 'rate_limit', match: 'GET /v1/orders/' });
      await expect(order()).resolves.toBeDefined(); // POST /v1/orders does not match
      const err = await sdkError(h.rzp.orders.fetch(o.id));
      expect(err.statusCode).toBe(429);
      expect(err.error).toMatchObject({
        code: 'BAD_REQUEST_ERROR',
        description: 'Request failed. Please try after sometime.',
      });
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ id: o.id });
    });

    it('should list and clear faults, and never fault the controls', async () => {
      await fault({ target: 'api', type: 'error', count: 5 });
      expect((await call(h.base, 'GET', '/_sandbox/faults')).body.items).toHaveLength(1);
      expect((await call(h.base, 'DELETE', '/_sandbox/faults')).body).toEqual({ cleared: 1 });
      await expect(order()).resolves.toBeDefined();
    });

    it('should validate fault definitions', async () => {
      const res = await call(h.base, 'POST', '/_sandbox/faults', {
        target: 'api',
        type: 'duplicate',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('type');
    });
  });

  describe('webhooks', () => {
    it('should deliver the next event twice with the same event id (duplicate)', async () => {
      await fault({ target: 'webhooks', type: 'duplicate' });
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await waitFor(() => rx.received.length === 2);
      const [a, b] = rx.received;
      expect(a.headers['x-razorpay-event-id']).toBe(b.headers['x-razorpay-event-id']);
      expect(a.raw.equals(b.raw)).toBe(true);
      const ev = (await call(h.base, 'GET', `/_sandbox/events?order_id=${o.id}`)).body.items[0];
      expect(ev.attempts).toHaveLength(2);
    });

    it('should hold the next events and deliver them in reverse (reorder)', async () => {
      await fault({ target: 'webhooks', type: 'reorder', count: 3 });
      const o = await order();
      await pay(h.base, o.id, 'success');
      expect(rx.received).toHaveLength(0); // payment.authorized is held
      await flush(h.base, ['capture']); // payment.captured and order.paid complete the batch
      await waitFor(() => rx.received.length === 3);
      expect(rx.received.map((r) => r.json.event)).toEqual([
        'order.paid',
        'payment.captured',
        'payment.authorized',
      ]);
    });

    it('should lose the first attempt and deliver it on retry (drop)', async () => {
      await fault({ target: 'webhooks', type: 'drop', match: 'payment.failed' });
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await waitFor(() => rx.received.length === 1);
      const ev = (await call(h.base, 'GET', `/_sandbox/events?order_id=${o.id}`)).body.items[0];
      expect(ev.attempts).toEqual([
        expect.objectContaining({ ok: false, status: null, error: 'dropped (fault)' }),
        expect.objectContaining({ ok: true, status: 200 }),
      ]);
    });

    it('should delay the next event (delay)', async () => {
      await fault({ target: 'webhooks', type: 'delay', delayMs: 1500, match: 'payment.failed' });
      const o = await order();
      const started = Date.now();
      await pay(h.base, o.id, 'failure');
      await sleep(100);
      expect(rx.received).toHaveLength(0);
      await waitFor(() => rx.received.length === 1);
      expect(rx.received[0].json.event).toBe('payment.failed');
      expect(rx.received[0].at - started).toBeGreaterThanOrEqual(1490);
    });

    it('should fail the payment first and authorize+capture it later (late_authorization)', async () => {
      await fault({ target: 'webhooks', type: 'late_authorization', delayMs: 60_000 });
      const o = await order();
      const res = await pay(h.base, o.id, 'success');
      expect(res.body.error).toMatchObject({
        reason: 'payment_timed_out',
        metadata: { order_id: o.id },
      });
      const paymentId = res.body.error.metadata.payment_id;
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({ status: 'failed' });
      const late = await flush(h.base, ['late_authorization']);
      expect(late.body.ran).toEqual([
        expect.objectContaining({ kind: 'late_authorization', subject: paymentId }),
      ]);
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        status: 'authorized',
      });
      await flush(h.base);
      await waitFor(() => rx.received.length === 4, 3000);
      expect(rx.received.map((r) => r.json.event)).toEqual([
        'payment.failed',
        'payment.authorized',
        'payment.captured',
        'order.paid',
      ]);
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        status: 'captured',
        error_code: null,
      });
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ status: 'paid' });
    });

    it('should fail the next refund with refund.failed and restore the balance (refund_failed)', async () => {
      const o = await order();
      const res = await payAndSettle(h.base, o.id, 'success');
      const paymentId = res.body.razorpay_payment_id;
      await fault({ target: 'webhooks', type: 'refund_failed' });
      const refund = await h.rzp.payments.refund(paymentId, { amount: 5000 });
      expect(refund.status).toBe('pending');
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        amount_refunded: 5000,
        refund_status: 'partial',
      });
      await flush(h.base);
      await waitFor(() => rx.events('refund.failed').length === 1);
      const failed = rx.events('refund.failed')[0].json.payload;
      expect(failed.refund.entity).toMatchObject({ id: refund.id, status: 'failed' });
      await expect(h.rzp.refunds.fetch(refund.id)).resolves.toMatchObject({ status: 'failed' });
      await expect(h.rzp.payments.fetch(paymentId)).resolves.toMatchObject({
        amount_refunded: 0,
        refund_status: null,
        status: 'captured',
      });
      expect(rx.events('refund.processed')).toHaveLength(0);
      // The next refund is normal again.
      const next = await h.rzp.payments.refund(paymentId, { amount: 5000 });
      await flush(h.base);
      await expect(h.rzp.refunds.fetch(next.id)).resolves.toMatchObject({ status: 'processed' });
    });

    it('should release held events when faults are cleared', async () => {
      await fault({ target: 'webhooks', type: 'reorder', count: 5 });
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await sleep(100);
      expect(rx.received).toHaveLength(0);
      await call(h.base, 'DELETE', '/_sandbox/faults');
      await waitFor(() => rx.received.length === 1);
    });
  });
});
