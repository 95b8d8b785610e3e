import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DatabaseThrottlerStorage, RateLimitWindow } from '../src/database/rate-limit.storage';
import { ADMIN, startTestApp, TestApp } from './support/test-app';
import { signWebhook } from './support/api';

const WINDOW_MS = 60_000;

/**
 * Limits count in fixed one-minute windows (rate-limit.storage.ts), so a burst that straddles two
 * windows is counted half in each (a CI run's four slow sign-ins once did): start it early in one.
 */
async function startOfAWindow(): Promise<void> {
  const into = Date.now() % WINDOW_MS;
  if (into > WINDOW_MS - 20_000) await new Promise((r) => setTimeout(r, WINDOW_MS - into + 100));
}

describe('Rate limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('ratelimits', {
      RATE_LIMIT_AUTH_PER_MINUTE: '3',
      RATE_LIMIT_ORDERS_PER_MINUTE: '2',
    });
  });
  afterAll(() => t.close());

  it('should answer 429 after the configured number of sign-in attempts', async () => {
    await startOfAWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.http.post('/api/auth/login').send(ADMIN)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('should limit order creation but never the webhook route', async () => {
    const body = {
      items: [{ productId: '64b7f0000000000000000000', quantity: 1 }],
      customer: { name: 'A', email: 'a@example.com', contact: '9876543210' },
    };
    await startOfAWindow();
    const orders: number[] = [];
    for (let i = 0; i < 3; i++) orders.push((await t.http.post('/api/orders').send(body)).status);
    expect(orders).toEqual([404, 404, 429]);
    const event = JSON.stringify({
      entity: 'event',
      event: 'payment.dispute.created',
      contains: [],
      payload: {},
      created_at: 1,
    });
    for (let i = 0; i < 10; i++) {
      await t.http
        .post('/api/webhooks/razorpay')
        .set('Content-Type', 'application/json')
        .set('X-Razorpay-Event-Id', `evt_rl_${i}`)
        .set('X-Razorpay-Signature', signWebhook(event))
        .send(event)
        .expect(200);
    }
  });

  it('should never admit more than the limit across instances, and count a busy client in leases', async () => {
    const windows = t.app.get<Model<RateLimitWindow>>(getModelToken(RateLimitWindow.name));
    // Two storages on one database stand for two instances behind the load balancer.
    const instances = [
      new DatabaseThrottlerStorage(windows),
      new DatabaseThrottlerStorage(windows),
    ];
    const writes = jest.spyOn(windows, 'findOneAndUpdate');
    const limit = 96; // leases of up to 96 / 16 = 6
    await startOfAWindow();
    const key = `lease-test-${Date.now()}`;
    const answers = [];
    for (let round = 0; round < 15; round++)
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            instances[i % 2].increment(key, WINDOW_MS, limit, 0, 'orders'),
          ),
        )),
      );
    const admitted = answers.filter((a) => !a.isBlocked).length;
    const counted = await windows.findOne({ _id: { $regex: `^orders:${key}:` } }).lean();
    process.stdout.write(
      `[rate-limit leases] 150 requests, limit ${limit}: ${admitted} admitted, ${writes.mock.calls.length} counter writes, counter at ${counted?.hits}\n`,
    );
    expect(admitted).toBeLessThanOrEqual(limit);
    // What may be left unused at the end: one lease on each instance.
    expect(admitted).toBeGreaterThanOrEqual(limit - 2 * 6);
    expect(answers.slice(-10).every((a) => a.isBlocked)).toBe(true);
    expect(writes.mock.calls.length).toBeLessThanOrEqual(30);
    writes.mockRestore();
  });
});
