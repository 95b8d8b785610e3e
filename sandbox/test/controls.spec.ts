import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  basic,
  call,
  CALM,
  CAPTURE_ON_FLUSH,
  expectSameShape,
  fixture,
  flush,
  KEY_ID,
  pay,
  payAndSettle,
  Receiver,
  sleep,
  startSandbox,
  waitFor,
  type Harness,
} from './helpers';

const run = promisify(execFile);

describe('/_sandbox controls', () => {
  let h: Harness;
  let rx: Receiver;
  beforeEach(async () => {
    rx = await new Receiver().start();
    // About the controls: the calm profile keeps the profile's duplicates out of event counts.
    h = await startSandbox({ webhookUrl: rx.url, settings: { ...CALM, ...CAPTURE_ON_FLUSH } });
  });
  afterEach(async () => {
    await h.stop();
    await rx.stop();
  });

  const order = (extra: Record<string, unknown> = {}) =>
    h.rzp.orders.create({ amount: 50000, currency: 'INR', ...extra } as never);
  const sdkCapture = (id: string) =>
    h.rzp.payments.capture(id, 50000, 'INR').then(
      () => ({ error: { description: 'captured' } }),
      (e: { error: { description: string } }) => e,
    );

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
      await payAndSettle(h.base, o.id, 'success');
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

    it('should refuse a second payment while the auto-capture is pending', async () => {
      const o = await order();
      await pay(h.base, o.id, 'success');
      const again = await pay(h.base, o.id, 'success');
      expect(again.body.error.reason).toBe('order_already_paid');
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
      const upi = await payAndSettle(h.base, o.id, 'success', {
        method: 'upi',
        vpa: 'failure@razorpay',
      });
      expect(upi.body.error.reason).toBe('payment_failed');
      const ok = await payAndSettle(h.base, o.id, 'success', {
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
      expect((await pay(h.base, o.id, 'success', { method: 'crypto' })).status).toBe(400);
      const flow = await pay(h.base, o.id, 'success', { method: 'card', flow: 'intent' });
      expect(flow.body.error.field).toBe('flow');
      const timeout = await pay(h.base, o.id, 'timeout', { method: 'card' });
      expect(timeout.body.error.field).toBe('outcome');
      const unknown = await pay(h.base, 'order_AAAAAAAAAAAAAA', 'success');
      expect(unknown.body.error.description).toBe('The id provided does not exist');
    });
  });

  describe('payments left in progress, UPI collect and flush', () => {
    it('should keep an outcome "pending" payment created until completed', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'pending', { method: 'netbanking' });
      expect(res.body).toEqual({
        razorpay_payment_id: expect.stringMatching(/^pay_/),
        razorpay_order_id: o.id,
        status: 'created',
      });
      const id = res.body.razorpay_payment_id;
      await expect(h.rzp.payments.fetch(id)).resolves.toMatchObject({
        status: 'created',
        captured: false,
        acquirer_data: { bank_transaction_id: null },
      });
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ status: 'attempted' });
      expect(rx.received).toHaveLength(0); // nothing happened yet
      const done = await call(h.base, 'POST', `/_sandbox/payments/${id}/complete`, {
        outcome: 'success',
      });
      expect(done.body).toMatchObject({ razorpay_payment_id: id, razorpay_order_id: o.id });
      await expect(h.rzp.payments.fetch(id)).resolves.toMatchObject({ status: 'authorized' });
      const again = await call(h.base, 'POST', `/_sandbox/payments/${id}/complete`, {
        outcome: 'failure',
      });
      expect(again.status).toBe(400);
      await flush(h.base);
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ status: 'paid' });
    });

    it('should fail a pending payment when completed with failure', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'pending', { card_number: '4100 2800 0008 0001' });
      const done = await call(
        h.base,
        'POST',
        `/_sandbox/payments/${res.body.razorpay_payment_id}/complete`,
        { outcome: 'failure' },
      );
      expect(done.body.error.reason).toBe('insufficient_funds'); // the card's own error
      const bad = await call(
        h.base,
        'POST',
        `/_sandbox/payments/${res.body.razorpay_payment_id}/complete`,
        { outcome: 'maybe' },
      );
      expect(bad.status).toBe(400);
    });

    it('should keep a UPI collect payment created for upiCollectDelayMs, then succeed', async () => {
      await call(h.base, 'PUT', '/_sandbox/settings', { upiCollectDelayMs: 2000 });
      const o = await order();
      const started = Date.now();
      const paying = pay(h.base, o.id, 'success', { method: 'upi', vpa: 'success@razorpay' });
      let during = await h.rzp.orders.fetchPayments(o.id);
      for (let i = 0; i < 200 && !during.count; i++) {
        during = await h.rzp.orders.fetchPayments(o.id); // until the pay call has arrived
      }
      expect(during.items).toEqual([
        expect.objectContaining({
          status: 'created',
          method: 'upi',
          upi: { payer_account_type: 'bank_account', vpa: 'success@razorpay', flow: 'collect' },
        }),
      ]);
      const res = await paying;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
      expect(res.body.razorpay_payment_id).toBe(during.items[0].id);
      await expect(h.rzp.payments.fetch(res.body.razorpay_payment_id)).resolves.toMatchObject({
        status: 'authorized',
      });
    });

    it('should time a UPI collect out with payment.failed, and run it on flush', async () => {
      const o = await order();
      const paying = pay(h.base, o.id, 'timeout', { method: 'upi', vpa: 'someone@okbank' });
      let ran: any[] = [];
      for (let i = 0; i < 100 && !ran.length; i++) {
        await sleep(5); // until the pay call has reached the sandbox
        ran = (await flush(h.base, ['upi_collect'])).body.ran;
      }
      expect(ran).toEqual([expect.objectContaining({ kind: 'upi_collect' })]);
      const res = await paying;
      expect(res.body.error).toMatchObject({ reason: 'payment_timed_out', source: 'customer' });
      await waitFor(() => rx.events('payment.failed').length === 1);
      expect(rx.received[0].json.payload.payment.entity).toMatchObject({
        status: 'failed',
        error_reason: 'payment_timed_out',
        upi: { flow: 'collect' },
      });
      expectSameShape(rx.received[0].json, fixture('webhooks__payments__011.json'));
    });

    it('should answer a UPI intent payment at once', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'success', { method: 'upi', flow: 'intent' });
      const p = await h.rzp.payments.fetch(res.body.razorpay_payment_id);
      expect(p).toMatchObject({ status: 'authorized', upi: { flow: 'intent' } });
      expectSameShape(p as never, fixture<any>('api__orders__fetch-payments__043.json').items[1]);
    });

    // Each compared both ways with the closest documented sample.
    it.each([
      [
        'emi',
        { card: true },
        { method: 'emi', card_id: expect.stringMatching(/^card_/) },
        'api__payments__fetch-with-id__050.json',
      ],
      [
        'paylater',
        {},
        { method: 'paylater', wallet: 'rzpx_postpaid' },
        'api__payments__fetch-with-id__052.json',
      ],
      [
        'cardless_emi',
        { provider: 'earlysalary' },
        { provider: 'earlysalary' },
        'api__payments__fetch-with-id__052.json',
      ],
      [
        'bank_transfer',
        {},
        { method: 'bank_transfer', bank: null, wallet: null },
        'api__payments__fetch-with-id__049.json',
      ],
    ])('should accept method %s with its fields', async (method, extra, expected, sample) => {
      const o = await order();
      const { card, ...rest } = extra as Record<string, unknown>;
      const res = await payAndSettle(h.base, o.id, 'success', { method, ...rest });
      const p = (await h.rzp.payments.fetch(res.body.razorpay_payment_id, {
        'expand[]': 'card',
      } as never)) as any;
      expect(p).toMatchObject({ status: 'captured', method, ...expected });
      if (card) expect(p.card).toMatchObject({ emi: true, entity: 'card' });
      expectSameShape(p, fixture(sample));
    });

    it('should capture by itself after captureDelayMs and process a refund after refundProcessDelayMs', async () => {
      await call(h.base, 'PUT', '/_sandbox/settings', {
        captureDelayMs: 300,
        refundProcessDelayMs: 300,
      });
      const o = await order();
      const started = Date.now();
      const res = await pay(h.base, o.id, 'success', { method: 'netbanking' });
      const id = res.body.razorpay_payment_id;
      await waitFor(() => rx.events('order.paid').length === 1, 10_000, 'the timed capture');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      await expect(h.rzp.payments.fetch(id)).resolves.toMatchObject({ status: 'captured' });
      const refund = await h.rzp.payments.refund(id, { amount: 1000 });
      const refunded = Date.now();
      expect(refund.status).toBe('pending');
      await waitFor(() => rx.events('refund.processed').length === 1, 10_000, 'the timed refund');
      expect(Date.now() - refunded).toBeGreaterThanOrEqual(290);
    });

    it('should flush in process too (RazorpaySandbox.flush)', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'success');
      const out = await h.sandbox.flush(['capture']);
      expect(out.ran).toEqual([
        expect.objectContaining({ kind: 'capture', subject: res.body.razorpay_payment_id }),
      ]);
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ status: 'paid' });
      expect(h.sandbox.settings()).toMatchObject({ deliveryProfile: 'calm', deliverySeed: 42 });
    });

    it('should answer a flush with what it ran and what is still scheduled', async () => {
      const o = await order({ payment: { capture: 'manual' } });
      const res = await pay(h.base, o.id, 'success');
      const id = res.body.razorpay_payment_id;
      const scheduled = (await call(h.base, 'GET', '/_sandbox/scheduled')).body.items;
      expect(scheduled).toEqual([
        expect.objectContaining({ kind: 'authorized_expiry', subject: id }),
      ]);
      // The days-long expiry only runs when asked for.
      const none = await flush(h.base);
      expect(none.body).toMatchObject({ count: 0, ran: [], pending: scheduled });
      const bad = await flush(h.base, ['nope']);
      expect(bad.status).toBe(400);
      const expired = await flush(h.base, ['authorized_expiry']);
      expect(expired.body.ran).toEqual([
        expect.objectContaining({ kind: 'authorized_expiry', subject: id }),
      ]);
    });

    it('should refund an authorized payment nobody captured within authorizedExpiryMs', async () => {
      // 3 days × the time scale: 60 s × 0.001 = 60 ms here.
      await call(h.base, 'PUT', '/_sandbox/settings', { authorizedExpiryMs: 60_000 });
      const o = await order({ payment: { capture: 'manual' } });
      const res = await pay(h.base, o.id, 'success');
      const id = res.body.razorpay_payment_id;
      await waitFor(() => rx.events('refund.created').length === 1, 3000, 'auto-refund');
      const refunded = await h.rzp.payments.fetch(id);
      expect(refunded).toMatchObject({
        status: 'refunded',
        captured: false,
        amount_refunded: 50000,
        refund_status: 'full',
      });
      const [refund] = (await h.rzp.payments.fetchMultipleRefund(id)).items;
      expect(refund).toMatchObject({ amount: 50000, status: 'pending' });
      await flush(h.base);
      expect(rx.events('refund.processed')).toHaveLength(1);
      await expect(h.rzp.refunds.fetch(refund.id)).resolves.toMatchObject({ status: 'processed' });
      const late = await sdkCapture(id);
      expect(late.error.description).toBe(
        'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.',
      );
      await expect(h.rzp.orders.fetch(o.id)).resolves.toMatchObject({ status: 'attempted' });
    });

    it('should capture through the API while the auto-capture is pending, once', async () => {
      const o = await order();
      const res = await pay(h.base, o.id, 'success');
      const id = res.body.razorpay_payment_id;
      const noCurrency = await call(h.base, 'POST', `/v1/payments/${id}/capture`, {
        amount: 50000,
      });
      expect(noCurrency.body.error).toMatchObject({ field: 'currency' });
      await expect(h.rzp.payments.capture(id, 50000, 'INR')).resolves.toMatchObject({
        status: 'captured',
      });
      const ran = await flush(h.base, ['capture']);
      expect(ran.body.count).toBe(0); // the pending auto-capture was dropped
      await waitFor(() => rx.events('order.paid').length === 1);
      await sleep(50);
      expect(rx.events('payment.captured')).toHaveLength(1);
    });
  });

  describe('events, trigger and endpoint', () => {
    it('should filter events by order and name', async () => {
      const a = await order();
      const b = await order();
      await payAndSettle(h.base, a.id, 'success');
      await payAndSettle(h.base, b.id, 'failure');
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
      const res = await payAndSettle(h.base, o.id, 'success');
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
        events: null,
      });
      const off = await call(h.base, 'PUT', '/_sandbox/endpoint', {
        enabled: false,
        url: 'http://127.0.0.1:9/x',
      });
      expect(off.body).toMatchObject({ url: 'http://127.0.0.1:9/x', enabled: false });
      const on = await call(h.base, 'PUT', '/_sandbox/endpoint', { enabled: true, url: rx.url });
      expect(on.body).toMatchObject({ url: rx.url, enabled: true, disabled_at: null });
    });

    it('should reset all state and the settings to their creation values', async () => {
      const o = await order();
      await pay(h.base, o.id, 'success');
      await call(h.base, 'POST', '/_sandbox/faults', { target: 'api', type: 'error', count: 9 });
      const created = (await call(h.base, 'GET', '/_sandbox/settings')).body;
      await call(h.base, 'PUT', '/_sandbox/settings', { captureDelayMs: 5, international: true });
      expect((await call(h.base, 'POST', '/_sandbox/reset')).body).toEqual({ reset: true });
      const err = await h.rzp.orders.fetch(o.id).catch((e) => e);
      expect(err.statusCode).toBe(400);
      expect((await call(h.base, 'GET', '/_sandbox/events')).body.count).toBe(0);
      expect((await call(h.base, 'GET', '/_sandbox/faults')).body.items).toEqual([]);
      // The pending capture was dropped with the payment; the settings are the creation ones.
      expect((await call(h.base, 'GET', '/_sandbox/scheduled')).body.count).toBe(0);
      expect((await call(h.base, 'GET', '/_sandbox/settings')).body).toEqual(created);
      expect(created).toMatchObject({ deliveryProfile: 'calm', deliverySeed: 42 });
    });

    it('should enforce unique receipts only when the account setting is on', async () => {
      await order({ receipt: 'same' });
      await expect(order({ receipt: 'same' })).resolves.toBeDefined();
      // There is no per-order `unique_receipt` parameter: Razorpay rejects unknown fields.
      const err = await order({ receipt: 'other', unique_receipt: true }).catch((e) => e);
      expect(err.error).toMatchObject({ reason: 'extra_field_sent', field: 'unique_receipt' });
      await call(h.base, 'PUT', '/_sandbox/settings', { receiptUnique: true });
      const dup = await order({ receipt: 'same' }).catch((e) => e);
      expect(dup).toMatchObject({ statusCode: 400 });
      expect(dup.error.description).toBe('Order receipt should be unique.');
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
      await payAndSettle(h.base, o.id, 'success');
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

    it('should pay pending, complete, flush and change settings', async () => {
      const o = await order();
      const pending = await cli('pay', o.id, 'pending', '--method', 'upi', '--flow', 'intent');
      const id = /pending: (pay_\w+)/.exec(pending.stdout)?.[1] as string;
      expect(id).toBeDefined();
      const done = await cli('complete', id, 'success');
      expect(done.stdout).toContain(`authorized: ${id}`);
      const flushed = await cli('flush', 'capture');
      expect(flushed.stdout).toMatch(new RegExp(`ran 1 effect\\(s\\)\\n\\s+capture\\s+${id}`));
      await expect(h.rzp.payments.fetch(id)).resolves.toMatchObject({ status: 'captured' });
      const set = await cli('settings', 'captureDelayMs=0', 'deliveryProfile=razorpay');
      expect(set.stdout).toMatch(/captureDelayMs\s+0/);
      expect((await call(h.base, 'GET', '/_sandbox/settings')).body).toMatchObject({
        captureDelayMs: 0,
        deliveryProfile: 'razorpay',
      });
      const ep = await cli('endpoint', '--events', 'payment.failed,order.paid');
      expect(ep.stdout).toContain('events: payment.failed,order.paid');
      await expect(cli('settings', 'captureDelayMs=soon')).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('captureDelayMs must be a non-negative integer'),
      });
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
