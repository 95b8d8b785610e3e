// Operators in Swagger UI (issue 14.4): the Authorize dialog signs in through the shop's own
// OAuth2 password endpoint, the sign-in survives reloads, operator routes have their own tags,
// and every operator request body's example works as Swagger UI's "Try it out" sends it.
import { chromium } from 'playwright-core';
import { adminToken, createProduct, placeOrder, sandbox } from './support/api';
import { ADMIN, startTestApp, TestApp } from './support/test-app';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  example?: unknown;
  enum?: unknown[];
  default?: unknown;
  allOf?: Schema[];
}
interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
  tags: { name: string }[];
}

describe('Operators in Swagger UI (e2e)', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp('mail-swagger-signin');
    doc = (await t.http.get('/docs-json').expect(200)).body as Document;
  }, 120_000);
  afterAll(() => t.close());

  const signIn = (form: Record<string, string>) =>
    t.http.post('/api/auth/token').type('form').send(form);

  /** What Swagger UI puts in the body for "Try it out": each property's example (or enum, default). */
  function sample(schema: Schema): unknown {
    if (schema.$ref) return sample(doc.components.schemas[schema.$ref.split('/').pop() as string]);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sample(s) as object));
    if (schema.example !== undefined) return schema.example;
    if (schema.enum) return schema.enum[0];
    if (schema.default !== undefined) return schema.default;
    if (schema.type === 'object' || schema.properties)
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v)]),
      );
    if (schema.type === 'array') return [sample(schema.items ?? {})];
    return { string: 'string', number: 0, integer: 0, boolean: true }[schema.type ?? 'string'];
  }
  const bodyOf = (path: string, method: string) =>
    sample(doc.paths[path][method].requestBody!.content['application/json'].schema);

  it('signs in with the password grant and answers {access_token, token_type}', async () => {
    const res = await signIn({
      grant_type: 'password',
      username: ADMIN.email,
      password: ADMIN.password,
      scope: '',
    }).expect(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer' });
    await t.http
      .get('/api/admin/outbox')
      .set('Authorization', `Bearer ${res.body.access_token as string}`)
      .expect(200);
    await signIn({ grant_type: 'password', username: ADMIN.email, password: 'wrong-pass' }).expect(
      401,
    );
    await signIn({ grant_type: 'client_credentials', username: ADMIN.email, password: 'x' }).expect(
      400,
    );
  });

  it('describes the OAuth2 password flow on every route a bearer token opens, and keeps the sign-in', async () => {
    expect(doc.components.securitySchemes.oauth2).toEqual(
      expect.objectContaining({
        type: 'oauth2',
        flows: { password: { tokenUrl: '/api/auth/token', scopes: {} } },
      }),
    );
    const secured = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .filter((op) => op.security?.some((s) => 'bearer' in s));
    expect(secured.length).toBeGreaterThan(10);
    for (const op of secured) expect(op.security).toContainEqual({ oauth2: [] });
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
  });

  it('groups operator routes under operator tags, listed first', async () => {
    const tagOf = (path: string, method: string) => doc.paths[path][method].tags;
    expect(tagOf('/api/products', 'post')).toEqual(['operators: catalog']);
    expect(tagOf('/api/products/{id}/stock-adjustments', 'post')).toEqual(['operators: catalog']);
    expect(tagOf('/api/products', 'get')).toEqual(['products']);
    expect(tagOf('/api/admin/orders/{id}/refunds', 'post')).toEqual([
      'operators: orders and refunds',
    ]);
    expect(tagOf('/api/admin/outbox', 'get')).toEqual(['operators: mail']);
    expect(doc.tags[0].name).toMatch(/^operators: /);
    for (const [path, item] of Object.entries(doc.paths))
      if (path.startsWith('/api/admin'))
        for (const op of Object.values(item)) expect(op.tags?.[0]).toMatch(/^operators: /);
  });

  it("accepts every operator request body's example as it stands", async () => {
    const token = await adminToken(t);
    const as = (method: 'post' | 'patch', path: string, body: unknown) =>
      t.http[method](path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);

    const created = await as('post', '/api/products', bodyOf('/api/products', 'post')).expect(201);
    const id = created.body.id as string;
    await as('patch', `/api/products/${id}`, bodyOf('/api/products/{id}', 'patch')).expect(200);
    await as(
      'post',
      `/api/products/${id}/stock-adjustments`,
      bodyOf('/api/products/{id}/stock-adjustments', 'post'),
    ).expect(201);

    const product = await createProduct(t, token, { stock: 5, price: 100000 });
    const order = await placeOrder(t, product.id);
    await t.http
      .post('/api/payments/verify')
      .send(await sandbox(t).pay(order.razorpayOrderId))
      .expect(200);
    const refund = bodyOf('/api/admin/orders/{id}/refunds', 'post') as { amount: number };
    expect(refund.amount).toBeLessThan(order.amount); // the example is a partial refund
    await as('post', `/api/admin/orders/${order.id}/refunds`, refund).expect(201);
  });

  it('signs an operator in from the Authorize dialog, keeps it across a reload, and Try it out works', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${t.origin}/docs`);
      await page.locator('button.authorize').first().click();
      const oauth = page.locator('.auth-container').filter({ hasText: 'oauth2' });
      await oauth.locator('#oauth_username').fill(ADMIN.email);
      await oauth.locator('#oauth_password').fill(ADMIN.password);
      // Swagger UI labels its dialog buttons with aria-labels ("Apply credentials"…): find them by text.
      await oauth.locator('button.authorize', { hasText: 'Authorize' }).click();
      await oauth.locator('button', { hasText: 'Logout' }).waitFor();
      await page.locator('button.btn-done').first().click();

      await page.reload();
      const outbox = page.locator('.opblock-get', {
        has: page.locator('[data-path="/api/admin/outbox"]'),
      });
      await outbox.locator('.opblock-summary').click();
      await outbox.getByRole('button', { name: 'Try it out' }).click();
      await outbox.getByRole('button', { name: 'Execute' }).click();
      const status = outbox.locator('.live-responses-table .response .response-col_status');
      await status.first().waitFor();
      expect((await status.first().textContent())?.trim()).toBe('200');
    } finally {
      await browser.close();
    }
  });
});
