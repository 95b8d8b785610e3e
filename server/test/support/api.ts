import { createHmac } from 'node:crypto';
import request from 'supertest';
import { ADMIN, METRICS_TOKEN, TestApp } from './test-app';

export const SANDBOX_KEY = { id: 'rzp_test_SandboxKey0001', secret: 'sandbox_key_secret' };
export const WEBHOOK_SECRET = 'sandbox_webhook_secret';
export const CUSTOMER = { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' };

/** GET /api/metrics with the scrape token (the endpoint is not public). */
export function scrapeMetrics(t: TestApp) {
  return t.http.get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
}

export async function adminToken(t: TestApp): Promise<string> {
  const res = await t.http.post('/api/auth/login').send(ADMIN).expect(200);
  return (res.body as { accessToken: string }).accessToken;
}

let userSeq = 0;
export async function registerUser(
  t: TestApp,
  name = 'Shopper',
): Promise<{ token: string; id: string; email: string }> {
  const email = `user${Date.now()}${userSeq++}@example.com`;
  const res = await t.http
    .post('/api/auth/register')
    .send({ name, email, password: 'correct-horse-1' })
    .expect(201);
  const body = res.body as { id: string; accessToken: string };
  return { token: body.accessToken, id: body.id, email };
}

export interface ProductBody {
  id: string;
  price: number;
  stock: number;
  name: string;
}

let productSeq = 0;
export async function createProduct(
  t: TestApp,
  token: string,
  overrides: Partial<{ name: string; price: number; stock: number }> = {},
): Promise<ProductBody> {
  const res = await t.http
    .post('/api/products')
    .set('Authorization', `Bearer ${token}`)
    .send({
      name: `Test product ${productSeq++}`,
      price: 49900,
      stock: 10,
      description: 'For tests',
      ...overrides,
    })
    .expect(201);
  return res.body as ProductBody;
}

export interface OrderBody {
  id: string;
  orderNumber: string;
  status: string;
  amount: number;
  amountRefunded: number;
  razorpayOrderId: string;
  razorpayKeyId: string;
  accessToken: string;
  refundRequired: boolean;
  paidAt: string | null;
  history: { status: string; source: string }[];
  lastPaymentError: { code: string; description: string } | null;
}

export async function placeOrder(
  t: TestApp,
  productId: string,
  quantity = 1,
  token?: string,
): Promise<OrderBody> {
  const req = t.http
    .post('/api/orders')
    .send({ items: [{ productId, quantity }], customer: CUSTOMER });
  if (token) void req.set('Authorization', `Bearer ${token}`);
  const res = await req;
  if (res.status !== 201)
    throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as OrderBody;
}

export function getOrder(
  t: TestApp,
  order: { id: string; accessToken: string },
): Promise<OrderBody> {
  return t.http
    .get(`/api/orders/${order.id}`)
    .set('X-Order-Token', order.accessToken)
    .expect(200)
    .then((r) => r.body as OrderBody);
}

/** The sandbox's own control API, reached over HTTP like any client would. */
export function sandbox(t: TestApp) {
  const call = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    request(t.origin)[method](`/sandbox/razorpay${path}`).auth(SANDBOX_KEY.id, SANDBOX_KEY.secret);
  return {
    call,
    pay: async (razorpayOrderId: string, outcome: 'success' | 'failure' = 'success') => {
      const res = await call('post', '/_sandbox/payments').send({
        order_id: razorpayOrderId,
        outcome,
      });
      if (res.status !== 200)
        throw new Error(`sandbox pay failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as {
        razorpay_payment_id: string;
        razorpay_order_id: string;
        razorpay_signature: string;
        error?: { code: string; description: string; metadata: { payment_id: string } };
      };
    },
    fault: (fault: Record<string, unknown>) =>
      call('post', '/_sandbox/faults').send(fault).expect(201),
    clearFaults: () => call('delete', '/_sandbox/faults'),
    events: async (razorpayOrderId: string) =>
      (await call('get', `/_sandbox/events?order_id=${razorpayOrderId}`).expect(200))
        .body as unknown,
    setEndpoint: (body: { url?: string; enabled?: boolean }) =>
      call('put', '/_sandbox/endpoint').send(body),
  };
}

export function signWebhook(body: string, secret = WEBHOOK_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** A `payment.captured` event body as Razorpay sends it (trimmed to what the shop reads). */
export function paymentCapturedEvent(
  razorpayOrderId: string,
  amount: number,
  paymentId: string,
  status = 'captured',
): string {
  return JSON.stringify({
    entity: 'event',
    event: 'payment.captured',
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
          method: 'card',
          captured: true,
        },
      },
    },
    created_at: Math.floor(Date.now() / 1000),
  });
}

/** Delivers `body` to the shop's webhook exactly as Razorpay does: raw bytes, signed, with its event id. */
export function deliverWebhook(t: TestApp, body: string, eventId: string) {
  return t.http
    .post('/api/webhooks/razorpay')
    .set('Content-Type', 'application/json')
    .set('X-Razorpay-Signature', signWebhook(body))
    .set('X-Razorpay-Event-Id', eventId)
    .send(body);
}

export function signCheckout(razorpayOrderId: string, paymentId: string): string {
  return createHmac('sha256', SANDBOX_KEY.secret)
    .update(`${razorpayOrderId}|${paymentId}`)
    .digest('hex');
}

/** Polls until `check` returns a truthy value or the time runs out (webhooks arrive asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms ${last ? String(last) : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
