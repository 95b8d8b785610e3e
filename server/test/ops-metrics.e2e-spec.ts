import { adminToken, createProduct, placeOrder, registerUser } from './support/api';
import { METRICS_TOKEN, startTestApp, TestApp } from './support/test-app';

describe('Metrics access and cost (e2e)', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp('metrics');
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  const scrape = (authorization?: string) => {
    const req = t.http.get('/api/metrics');
    return authorization ? req.set('Authorization', authorization) : req;
  };

  it('should answer 401 without credentials or with a wrong token', async () => {
    const none = await scrape().expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'AUTH_REQUIRED' });
    await scrape(`Bearer ${METRICS_TOKEN}x`).expect(401);
    await scrape(METRICS_TOKEN).expect(401);
  });

  it('should answer 403 to a signed-in shopper', async () => {
    const shopper = await registerUser(t);
    const res = await scrape(`Bearer ${shopper.token}`).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it('should serve Prometheus text to the metrics token and to an admin', async () => {
    const byToken = await scrape(`Bearer ${METRICS_TOKEN}`).expect(200);
    expect(byToken.headers['content-type']).toMatch(/^text\/plain/);
    expect(byToken.text).toMatch(/# TYPE shop_orders gauge/);
    expect(byToken.text).toMatch(/# TYPE shop_payment_verifications_total counter/);
    await scrape(`Bearer ${admin}`).expect(200);
  });

  it('should not count orders again on every scrape (cached for a short TTL)', async () => {
    const pending = (text: string) =>
      Number(/shop_orders\{status="pending"\} (\d+)/.exec(text)?.[1] ?? 0);
    const product = await createProduct(t, admin, { stock: 10 });
    const before = pending((await scrape(`Bearer ${METRICS_TOKEN}`).expect(200)).text);
    await placeOrder(t, product.id);
    const scrapes = await Promise.all(
      Array.from({ length: 5 }, () => scrape(`Bearer ${METRICS_TOKEN}`).expect(200)),
    );
    // The new order is in the database, yet every scrape within the TTL reuses the last count.
    expect(scrapes.map((s) => pending(s.text))).toEqual([before, before, before, before, before]);
  });

  it('should count write commands and the documents in them', async () => {
    const written = async () => {
      const text = (await scrape(`Bearer ${METRICS_TOKEN}`).expect(200)).text;
      const read = (metric: string, command: string) =>
        Number(new RegExp(`^${metric}\\{command="${command}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return {
        insertCommands: read('shop_database_write_commands_total', 'insert'),
        inserted: read('shop_database_write_statements_total', 'insert'),
        updated: read('shop_database_write_statements_total', 'update'),
      };
    };
    const product = await createProduct(t, admin, { stock: 5 });
    const before = await written();
    await placeOrder(t, product.id);
    const after = await written();
    // The order itself, and the stock decrement that holds its unit.
    expect(after.inserted - before.inserted).toBeGreaterThanOrEqual(1);
    expect(after.insertCommands - before.insertCommands).toBeGreaterThanOrEqual(1);
    expect(after.updated - before.updated).toBeGreaterThanOrEqual(1);
  });
});
