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
});
