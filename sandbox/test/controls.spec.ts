import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { basic, call, KEY_ID, pay, Receiver, startSandbox, waitFor, type Harness } from './helpers';

const run = promisify(execFile);

describe('/_sandbox controls', () => {
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

  describe('POST /_sandbox/payments', () => {
    it('should require Basic auth with the key secret', async () => {
      const o = await order();
      const res = await call(
        h.base,
        'POST',
        '/_sandbox/payments',
        { order_id: o.id, outcome: 'success' },
        {
          authorization: basic(KEY_ID, 'nope'),
        },
      );
      expect(res.status).toBe(401);
    });

    it('should answer the failure with the checkout error shape and keep the order payable', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'failure', { method: 'wallet' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        error: {
          code: 'BAD_REQUEST_ERROR',
          description: expect.any(String),
          source: 'gateway',
          step: 'payment_response',
          reason: 'payment_failed',
          metadata: { order_id: o.id, payment_id: expect.stringMatching(/^pay_/) },
        },
      });
      const retry = await pay(h.base, o.id, 'success', { method: 'wallet' });
      expect(retry.body.razorpay_payment_id).toMatch(/^pay_/);
      const p = await h.rzp.payments.fetch(retry.body.razorpay_payment_id);
      expect(p).toMatchObject({ method: 'wallet', wallet: 'freecharge' });
    });

    it('should refuse to pay a paid order with ORDER_ALREADY_PAID', async () => {
      const o = await order();
      await pay(h.base, o.id, 'success');
      const again = await pay(h.base, o.id, 'success');
      expect(again.status).toBe(400);
      expect(again.body.error).toMatchObject({
        code: 'BAD_REQUEST_ERROR',
        reason: 'order_already_paid',
        metadata: { order_id: o.id },
      });
    });

    it('should refuse a second payment while one is authorized (manual capture)', async () => {
      const o = await order({ payment: { capture: 'manual' } });
      await pay(h.base, o.id, 'success');
      expect((await pay(h.base, o.id, 'success')).status).toBe(400);
    });

    it('should honour test instruments: error cards, short OTP, failure@razorpay', async () => {
      const o = await order();
      const declined = await pay(h.base, o.id, 'success', { card_number: '4100 2800 0006 0003' });
      expect(declined.body.error.reason).toBe('card_declined');
      const otp = await pay(h.base, o.id, 'success', { otp: '12' });
      expect(otp.body.error).toMatchObject({
        reason: 'invalid_otp',
        description: 'Authentication failed due to incorrect otp',
      });
      const upi = await pay(h.base, o.id, 'success', { method: 'upi', vpa: 'failure@razorpay' });
      expect(upi.body.error.reason).toBe('payment_failed');
      const ok = await pay(h.base, o.id, 'success', {
        card_number: '5500 6700 0000 1002',
        otp: '1234',
      });
      expect(ok.body.razorpay_payment_id).toBeDefined();
      const p = (await h.rzp.payments.fetch(ok.body.razorpay_payment_id, {
        'expand[]': 'card',
      } as never)) as any;
      expect(p.card).toMatchObject({ last4: '1002', network: 'MasterCard' });
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({
        attempts: 4,
        status: 'paid',
      });
    });

    it('should validate its input', async () => {
      const o = await order();
      expect((await pay(h.base, o.id, 'maybe' as never)).status).toBe(400);
      expect((await pay(h.base, o.id, 'success', { method: 'emi' })).status).toBe(400);
      const unknown = await pay(h.base, 'order_AAAAAAAAAAAAAA', 'success');
      expect(unknown.body.error.description).toBe('The id provided does not exist');
    });
  });

  describe('events, trigger and endpoint', () => {
    it('should filter events by order and name', async () => {
      const a = await order();
      const b = await order();
      await pay(h.base, a.id, 'success');
      await pay(h.base, b.id, 'failure');
      await waitFor(() => rx.received.length === 4);
      const forA = (await call(h.base, 'GET', `/_sandbox/events?order_id=${a.id}`)).body;
      expect(forA.items.map((e: any) => e.event)).toEqual([
        'payment.authorized',
        'payment.captured',
        'order.paid',
      ]);
      const failed = (await call(h.base, 'GET', '/_sandbox/events?event=payment.failed')).body;
      expect(failed.items).toHaveLength(1);
      expect(failed.items[0]).toMatchObject({ order_id: b.id, status: 'delivered' });
      expect(failed.items[0].attempts[0]).toEqual({
        at: expect.any(String),
        status: 200,
        ok: true,
        duration_ms: expect.any(Number),
      });
    });

    it('should trigger a fresh event for the current state of the latest payment', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'success');
      await waitFor(() => rx.received.length === 3);
      const t = await call(h.base, 'POST', '/_sandbox/trigger', {
        event: 'payment.authorized',
        order_id: o.id,
      });
      expect(t.status).toBe(201);
      await waitFor(() => rx.received.length === 4);
      const last = rx.received[3];
      expect(last.headers['x-razorpay-event-id']).toBe(t.body.id);
      // Current state: the payment is captured now.
      expect(last.json.payload.payment.entity).toMatchObject({
        id: res.body.razorpay_payment_id,
        status: 'captured',
      });
      const none = await call(h.base, 'POST', '/_sandbox/trigger', {
        event: 'refund.processed',
        order_id: o.id,
      });
      expect(none.status).toBe(400);
      const bad = await call(h.base, 'POST', '/_sandbox/trigger', {
        event: 'nope',
        order_id: o.id,
      });
      expect(bad.status).toBe(400);
    });

    it('should resend an event with the same id and bytes', async () => {
      const o = await order();
      await pay(h.base, o.id, 'failure');
      await waitFor(() => rx.received.length === 1);
      const id = rx.received[0].headers['x-razorpay-event-id'];
      expect((await call(h.base, 'POST', `/_sandbox/events/${id}/resend`)).status).toBe(202);
      await waitFor(() => rx.received.length === 2);
      expect(rx.received[1].raw.equals(rx.received[0].raw)).toBe(true);
      expect(
        (await call(h.base, 'POST', '/_sandbox/events/evt_AAAAAAAAAAAAAA/resend')).status,
      ).toBe(400);
    });

    it('should get and update the endpoint', async () => {
      expect((await call(h.base, 'GET', '/_sandbox/endpoint')).body).toEqual({
        url: rx.url,
        enabled: true,
        disabled_at: null,
        disabled_reason: null,
      });
      const off = await call(h.base, 'PUT', '/_sandbox/endpoint', {
        enabled: false,
        url: 'http://127.0.0.1:9/x',
      });
      expect(off.body).toMatchObject({ url: 'http://127.0.0.1:9/x', enabled: false });
      const on = await call(h.base, 'PUT', '/_sandbox/endpoint', { enabled: true, url: rx.url });
      expect(on.body).toMatchObject({ url: rx.url, enabled: true, disabled_at: null });
    });

    it('should reset all state', async () => {
      const o = await order();
      await pay(h.base, o.id, 'success');
      await call(h.base, 'POST', '/_sandbox/faults', { target: 'api', type: 'error', count: 9 });
      expect((await call(h.base, 'POST', '/_sandbox/reset')).body).toEqual({ reset: true });
      const err = await h.rzp.orders.fetch(o.id).catch((e) => e);
      expect(err.statusCode).toBe(400);
      expect((await call(h.base, 'GET', '/_sandbox/events')).body.count).toBe(0);
      expect((await call(h.base, 'GET', '/_sandbox/faults')).body.items).toEqual([]);
    });

    it('should enforce unique receipts when the account flag or unique_receipt is set', async () => {
      await order({ receipt: 'same' });
      await expect(order({ receipt: 'same' })).resolves.toBeDefined();
      const err = await order({ receipt: 'same', unique_receipt: true }).catch((e) => e);
      expect(err.error.description).toBe('Order receipt should be unique.');
      await call(h.base, 'PUT', '/_sandbox/settings', { receiptUnique: true });
      await expect(order({ receipt: 'same' })).rejects.toMatchObject({ statusCode: 400 });
      const bad = await call(h.base, 'PUT', '/_sandbox/settings', { nope: 1 });
      expect(bad.status).toBe(400);
    });
  });

  describe('CLI (scripts/sandbox.mjs)', () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['scripts/sandbox.mjs', ...args, '--url', h.base], {
        cwd: `${__dirname}/../..`,
      });

    it('should list, trigger and resend events over HTTP', async () => {
      const o = await order();
      await pay(h.base, o.id, 'success');
      await waitFor(() => rx.received.length === 3);
      const list = await cli('list', 'events', '--order', o.id);
      expect(list.stdout).toContain('payment.captured');
      expect(list.stdout.trim().split('\n')).toHaveLength(3);
      const trig = await cli('trigger', 'order.paid', '--order', o.id);
      expect(trig.stdout).toMatch(/^triggered order\.paid as evt_/);
      await waitFor(() => rx.received.length === 4);
      const id = rx.received[0].headers['x-razorpay-event-id'] as string;
      const resent = await cli('resend', id);
      expect(resent.stdout).toContain(id);
      await waitFor(() => rx.received.length === 5);
      const json = JSON.parse((await cli('list', 'events', '--json')).stdout);
      expect(json.count).toBe(4);
    });

    it('should exit non-zero with the error description', async () => {
      await expect(
        cli('trigger', 'order.paid', '--order', 'order_AAAAAAAAAAAAAA'),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('The id provided does not exist'),
      });
    });
  });
});
