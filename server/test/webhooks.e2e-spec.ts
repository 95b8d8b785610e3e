import {
  adminToken,
  createProduct,
  eventually,
  getOrder,
  placeOrder,
  ProductBody,
  sandbox,
  scrapeMetrics,
  signWebhook,
} from './support/api';
import { Connection } from 'mongoose';
import { MARKER_REMOVAL_BATCH_MS } from '../src/orders/stock-reservations';
import { METRICS_TOKEN, startTestApp, TestApp } from './support/test-app';

interface Reconciler {
  runOnce(now?: Date): Promise<{ extra: Record<string, number> }>;
}

interface SandboxEvent {
  id: string;
  event: string;
  payload?: unknown;
  body?: string;
}

describe('Razorpay webhooks (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let product: ProductBody;

  beforeAll(async () => {
    t = await startTestApp('webhooks');
    admin = await adminToken(t);
    product = await createProduct(t, admin, { stock: 100, price: 34900 });
  });
  afterAll(() => t.close());

  const asAdmin = (path: string) => t.http.get(path).set('Authorization', `Bearer ${admin}`);

  /** A signed envelope like Razorpay's, for a payment snapshot of this order. */
  function capturedEvent(
    razorpayOrderId: string,
    amount: number,
    paymentId: string,
    event = 'payment.captured',
    status = 'captured',
  ) {
    return JSON.stringify({
      entity: 'event',
      account_id: 'acc_Test0000000001',
      event,
      contains: ['payment'],
      payload: {
        payment: {
          entity: {
            id: paymentId,
            entity: 'payment',
            amount,
            currency: 'INR',
            status,
            order_id: razorpayOrderId,
            method: 'upi',
            captured: status === 'captured',
            amount_refunded: 0,
            refund_status: null,
            error_code: status === 'failed' ? 'BAD_REQUEST_ERROR' : null,
            error_description: status === 'failed' ? 'Payment failed' : null,
            created_at: 1700000000,
          },
        },
      },
      created_at: Math.floor(Date.now() / 1000),
    });
  }

  const deliver = (body: string, eventId: string, signature = signWebhook(body)) =>
    t.http
      .post('/api/webhooks/razorpay')
      .set('Content-Type', 'application/json')
      .set('X-Razorpay-Event-Id', eventId)
      .set('X-Razorpay-Signature', signature)
      .send(body);

  it('should answer 400 and store nothing for a missing or wrong signature', async () => {
    const order = await placeOrder(t, product.id);
    const body = capturedEvent(order.razorpayOrderId, order.amount, 'pay_NoSig000000001');
    await t.http
      .post('/api/webhooks/razorpay')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    await deliver(body, 'evt_badsig_1', signWebhook(body, 'not-the-secret')).expect(400);
    await deliver(`${body} `, 'evt_badsig_2', signWebhook(body)).expect(400); // one byte changed
    expect((await getOrder(t, order)).status).toBe('pending');
    const events = await asAdmin('/api/admin/webhook-events?limit=100').expect(200);
    expect(events.body.items.map((e: { id: string }) => e.id)).not.toEqual(
      expect.arrayContaining(['evt_badsig_1', 'evt_badsig_2']),
    );
    const metrics = await scrapeMetrics(t);
    expect(metrics.text).toMatch(/shop_webhook_signature_failures_total 3/);
  });

  it('should have one effect when one event is delivered 20 times at once', async () => {
    const order = await placeOrder(t, product.id);
    const body = capturedEvent(order.razorpayOrderId, order.amount, 'pay_Dup00000000001');
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(body, 'evt_dup_1')));
    // One delivery applies it; the others are duplicates (200) or, while it is still being
    // applied, 409 so that Razorpay delivers them again later.
    expect(results.filter((r) => r.body.status === 'processed')).toHaveLength(1);
    for (const r of results.filter((r) => r.body.status !== 'processed')) {
      if (r.status === 200) expect(r.body.status).toBe('duplicate');
      else expect(r.body).toMatchObject({ statusCode: 409, code: 'WEBHOOK_IN_PROGRESS' });
    }
    expect((await deliver(body, 'evt_dup_1').expect(200)).body.status).toBe('duplicate');
    const detail = await asAdmin(`/api/admin/orders/${order.id}`).expect(200);
    expect(detail.body.status).toBe('paid');
    expect(detail.body.history.filter((h: { status: string }) => h.status === 'paid')).toHaveLength(
      1,
    );
    expect(detail.body.webhookEvents).toEqual([
      expect.objectContaining({ id: 'evt_dup_1', deliveries: 21, status: 'processed' }),
    ]);
  });

  it('should end paid whatever order the events arrive in', async () => {
    const order = await placeOrder(t, product.id);
    const pid = 'pay_Reverse0000001';
    const events = [
      ['payment.authorized', 'authorized'],
      ['payment.captured', 'captured'],
      ['order.paid', 'captured'],
    ].map(([event, status], i) => [
      capturedEvent(order.razorpayOrderId, order.amount, pid, event, status),
      `evt_rev_${i}`,
    ]);
    for (const [body, id] of [...events].reverse()) await deliver(body, id).expect(200);
    const detail = await asAdmin(`/api/admin/orders/${order.id}`).expect(200);
    expect(detail.body.status).toBe('paid');
    expect(detail.body.payments).toEqual([
      expect.objectContaining({ id: pid, status: 'captured' }),
    ]);
  });

  it('should record a report of the payment that already paid the order in one write', async () => {
    const order = await placeOrder(t, product.id);
    const pid = 'pay_NoEffect000001';
    const report = (event: string, status: string) =>
      capturedEvent(order.razorpayOrderId, order.amount, pid, event, status);
    await deliver(report('payment.captured', 'captured'), 'evt_noop_0').expect(200);
    // The placement's marker removal is batched: let it land before counting.
    await new Promise((resolve) => setTimeout(resolve, MARKER_REMOVAL_BATCH_MS + 100));
    const written = async () => {
      const text = (
        await t.http.get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)
      ).text;
      const sum = (command: string) =>
        Number(
          new RegExp(
            `^shop_database_write_statements_total\\{command="${command}"\\} (\\d+)`,
            'm',
          ).exec(text)?.[1] ?? 0,
        );
      return { insert: sum('insert'), update: sum('update'), findAndModify: sum('findAndModify') };
    };
    const before = await written();
    for (const [event, id] of [
      ['payment.authorized', 'evt_noop_1'],
      ['order.paid', 'evt_noop_2'],
    ])
      expect(
        (
          await deliver(
            report(event, event === 'order.paid' ? 'captured' : 'authorized'),
            id,
          ).expect(200)
        ).body,
      ).toEqual({ status: 'processed' });
    const after = await written();
    // Each is its event record alone: no claim-then-finish, no payment snapshot, no order write.
    expect({
      insert: after.insert - before.insert,
      update: after.update - before.update,
      findAndModify: after.findAndModify - before.findAndModify,
    }).toEqual({ insert: 2, update: 0, findAndModify: 0 });
    const detail = await asAdmin(`/api/admin/orders/${order.id}`).expect(200);
    expect(detail.body.status).toBe('paid');
    expect(detail.body.history.filter((h: { status: string }) => h.status === 'paid')).toHaveLength(
      1,
    );
    expect(
      detail.body.webhookEvents.map((e: { id: string; status: string }) => [e.id, e.status]),
    ).toEqual([
      ['evt_noop_0', 'processed'],
      ['evt_noop_1', 'processed'],
      ['evt_noop_2', 'processed'],
    ]);
    expect(
      (await deliver(report('order.paid', 'captured'), 'evt_noop_2').expect(200)).body,
    ).toEqual({
      status: 'duplicate',
    });
  });

  it('should not let a late payment.failed snapshot undo a captured payment', async () => {
    const order = await placeOrder(t, product.id);
    await deliver(
      capturedEvent(order.razorpayOrderId, order.amount, 'pay_Late000000001'),
      'evt_lf_1',
    ).expect(200);
    await deliver(
      capturedEvent(
        order.razorpayOrderId,
        order.amount,
        'pay_Late000000001',
        'payment.failed',
        'failed',
      ),
      'evt_lf_2',
    ).expect(200);
    expect((await getOrder(t, order)).status).toBe('paid');
  });

  it('should flag, not accept, a captured amount that differs from the order', async () => {
    const order = await placeOrder(t, product.id);
    await deliver(
      capturedEvent(order.razorpayOrderId, order.amount - 100, 'pay_Short00000001'),
      'evt_short_1',
    ).expect(200);
    const after = await getOrder(t, order);
    expect(after).toMatchObject({ status: 'pending', refundRequired: true });
  });

  it('should count a payment for an unknown order as an orphan and still answer 200', async () => {
    await deliver(
      capturedEvent('order_Unknown0000000', 10000, 'pay_Orphan0000001'),
      'evt_orphan_1',
    ).expect(200);
    const metrics = await scrapeMetrics(t);
    expect(metrics.text).toMatch(/shop_orphan_payments_total 1/);
  });

  it('should see duplicates, retries and reordering from the sandbox and still settle once', async () => {
    const s = sandbox(t);
    await s.fault({ target: 'webhooks', type: 'duplicate', count: 3 });
    await s.fault({ target: 'webhooks', type: 'drop', count: 1 });
    const order = await placeOrder(t, product.id);
    await s.pay(order.razorpayOrderId);
    const detail = await eventually(async () => {
      const d = (await asAdmin(`/api/admin/orders/${order.id}`)).body as {
        status: string;
        history: { status: string }[];
        webhookEvents: { deliveries: number; status: string }[];
      };
      const processed = d.webhookEvents.filter((e) => e.status === 'processed');
      return processed.length >= 3 && d.webhookEvents.some((e) => e.deliveries > 1) ? d : null;
    });
    expect(detail.status).toBe('paid');
    expect(detail.history.filter((h) => h.status === 'paid')).toHaveLength(1);
    await s.clearFaults();
  });

  it('should let an operator list and replay a stored event without a second effect', async () => {
    const order = await placeOrder(t, product.id);
    await deliver(
      capturedEvent(order.razorpayOrderId, order.amount, 'pay_Replay0000001'),
      'evt_replay_1',
    ).expect(200);
    const list = await asAdmin('/api/admin/webhook-events?event=payment.captured').expect(200);
    expect(list.body.items.some((e: SandboxEvent) => e.id === 'evt_replay_1')).toBe(true);
    await t.http
      .post('/api/admin/webhook-events/evt_replay_1/replay')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200, { status: 'processed' });
    await t.http
      .post('/api/admin/webhook-events/evt_nope/replay')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
    const detail = await asAdmin(`/api/admin/orders/${order.id}`).expect(200);
    expect(detail.body.history.filter((h: { status: string }) => h.status === 'paid')).toHaveLength(
      1,
    );
  });

  it('should drop the raw body of events processed before WEBHOOK_RETENTION_DAYS, once, and expired Idempotency-Keys', async () => {
    const DAY_MS = 24 * 60 * 60_000;
    const db = t.app.get<Connection>('DatabaseConnection').db!;
    const events = db.collection<{
      _id: string;
      rawBody: string | null;
      rawBodyKept: boolean;
      processedAt?: Date;
      keptDay?: string | null;
    }>('webhook_events');
    const keys = db.collection<{ _id: string }>('idempotency_keys');
    const [oldOrder, newOrder] = [await placeOrder(t, product.id), await placeOrder(t, product.id)];
    await deliver(
      capturedEvent(oldOrder.razorpayOrderId, oldOrder.amount, 'pay_Retention00001'),
      'evt_retention_old',
    ).expect(200);
    await deliver(
      capturedEvent(newOrder.razorpayOrderId, newOrder.amount, 'pay_Retention00002'),
      'evt_retention_new',
    ).expect(200);
    // As if processed 31 days ago (finish() sets keptDay to the day it processes an event).
    const processedAt = new Date(Date.now() - 31 * DAY_MS);
    await events.updateOne(
      { _id: 'evt_retention_old' },
      { $set: { processedAt, keptDay: processedAt.toISOString().slice(0, 10) } },
    );
    // One processed 500 days ago: retention reaches it past its first year of days.
    const ancient = new Date(Date.now() - 500 * DAY_MS);
    await events.insertOne({
      _id: 'evt_retention_ancient',
      event: 'payment.captured',
      rawBody: '{"contact":"+919876543210"}',
      rawBodyKept: true,
      status: 'processed',
      leaseUntil: ancient,
      processedAt: ancient,
      keptDay: ancient.toISOString().slice(0, 10),
      createdAt: ancient,
      createdDay: ancient.toISOString().slice(0, 10),
    } as never);
    const now = Date.now();
    await keys.insertMany([
      {
        _id: 'retention-expired',
        expiresAt: new Date(now - 1000),
        createdAt: new Date(now - DAY_MS),
      },
      { _id: 'retention-fresh', expiresAt: new Date(now + DAY_MS), createdAt: new Date(now) },
    ] as never[]);

    // Two instances' reconcilers at once: each body and each key goes once.
    const reconciler = t.get<Reconciler>('ReconcilerService');
    const runs = await Promise.all([reconciler.runOnce(), reconciler.runOnce()]);
    const sum = (step: string) => runs.reduce((n, r) => n + (r.extra[step] ?? 0), 0);
    expect(sum('webhookBodiesPruned')).toBe(2);
    expect(sum('idempotencyKeysDeleted')).toBe(1);

    for (const id of ['evt_retention_old', 'evt_retention_ancient'])
      expect(await events.findOne({ _id: id })).toMatchObject({
        rawBody: null,
        rawBodyKept: false,
        keptDay: null,
      });
    expect((await events.findOne({ _id: 'evt_retention_new' }))?.rawBody).toContain(
      'pay_Retention00002',
    );
    const replay = (id: string) =>
      t.http.post(`/api/admin/webhook-events/${id}/replay`).set('Authorization', `Bearer ${admin}`);
    expect((await replay('evt_retention_old').expect(409)).body).toMatchObject({
      code: 'WEBHOOK_EVENT_PRUNED',
    });
    await replay('evt_retention_new').expect(200, { status: 'processed' });
    expect(await keys.findOne({ _id: 'retention-expired' })).toBeNull();
    expect(await keys.findOne({ _id: 'retention-fresh' })).not.toBeNull();
    // The order the pruned event paid is still paid: retention removes evidence, not effects.
    expect((await getOrder(t, oldOrder)).status).toBe('paid');
  });
});
