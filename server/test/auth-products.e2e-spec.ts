import { adminToken, createProduct, registerUser, scrapeMetrics } from './support/api';
import { ADMIN, startTestApp, TestApp } from './support/test-app';

describe('Accounts and catalog (e2e)', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp('catalog');
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  describe('auth', () => {
    it('should register, reject a taken email with 409, and log in', async () => {
      const body = { name: 'Meera', email: 'Meera@Example.com', password: 'long-enough-1' };
      const created = await t.http.post('/api/auth/register').send(body).expect(201);
      expect(created.body).toMatchObject({
        name: 'Meera',
        email: 'meera@example.com',
        role: 'customer',
        accessToken: expect.any(String),
      });
      expect(created.body).not.toHaveProperty('passwordHash');
      await t.http
        .post('/api/auth/register')
        .send({ ...body, email: 'meera@example.com' })
        .expect(409);
      const login = await t.http
        .post('/api/auth/login')
        .send({ email: 'meera@example.com', password: 'long-enough-1' })
        .expect(200);
      const me = await t.http
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
      expect(me.body).toMatchObject({ email: 'meera@example.com', role: 'customer' });
    });

    it.each([
      ['a wrong password', { email: ADMIN.email, password: 'wrong-password' }],
      ['an unknown email', { email: 'nobody@example.com', password: 'whatever-1' }],
    ])('should answer 401 for %s', async (_, body) => {
      const res = await t.http.post('/api/auth/login').send(body).expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Email or password is incorrect',
        code: 'INVALID_CREDENTIALS',
      });
    });

    it.each([
      ['a short password', { name: 'A', email: 'a@example.com', password: 'short' }],
      ['a bad email', { name: 'A', email: 'not-an-email', password: 'long-enough-1' }],
      [
        'an unknown field',
        { name: 'A', email: 'b@example.com', password: 'long-enough-1', role: 'admin' },
      ],
      ['a missing name', { email: 'c@example.com', password: 'long-enough-1' }],
    ])('should answer 400 for %s', async (_, body) => {
      const res = await t.http.post('/api/auth/register').send(body).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(String),
      });
    });

    it('should answer 400 for malformed JSON, 401 for a bad token and 403 for a customer on admin routes', async () => {
      const res = await t.http
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      await t.http.get('/api/auth/me').expect(401);
      await t.http.get('/api/auth/me').set('Authorization', 'Bearer not.a.token').expect(401);
      const customer = await registerUser(t);
      await t.http
        .get('/api/admin/orders')
        .set('Authorization', `Bearer ${customer.token}`)
        .expect(403);
      await t.http
        .post('/api/products')
        .set('Authorization', `Bearer ${customer.token}`)
        .send({ name: 'x', price: 100, stock: 1 })
        .expect(403);
      await t.http.get('/api/admin/orders').expect(401);
    });

    it('should never return or log a password hash or secret in /api/config', async () => {
      const res = await t.http.get('/api/config').expect(200);
      expect(res.body).toEqual({
        razorpayKeyId: 'rzp_test_SandboxKey0001',
        checkoutScriptUrl: '/sandbox/razorpay/checkout.js',
        currency: 'INR',
        mode: 'sandbox',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/secret/i);
    });
  });

  describe('products', () => {
    it('should create, update, list, search, page and archive products', async () => {
      const kurta = await createProduct(t, admin, {
        name: 'Indigo Kurta',
        price: 129900,
        stock: 4,
      });
      await createProduct(t, admin, { name: 'Saffron Kurta', price: 139900, stock: 2 });
      await createProduct(t, admin, { name: 'Copper Bottle', price: 79900, stock: 9 });

      const search = await t.http.get('/api/products?search=kurta&limit=1&page=2').expect(200);
      expect(search.body).toMatchObject({ total: 2, page: 2, limit: 1 });
      expect(search.body.items).toHaveLength(1);

      const patched = await t.http
        .patch(`/api/products/${kurta.id}`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ price: 119900 })
        .expect(200);
      expect(patched.body).toMatchObject({
        price: 119900,
        stock: 4,
        currency: 'INR',
        active: true,
      });

      await t.http
        .delete(`/api/products/${kurta.id}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      await t.http.get(`/api/products/${kurta.id}`).expect(404);
      const after = await t.http.get('/api/products?search=kurta').expect(200);
      expect(after.body.total).toBe(1);
      const operatorView = await t.http
        .get(`/api/products/${kurta.id}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(operatorView.body.active).toBe(false);
    });

    it('should treat regex characters in search as text', async () => {
      await t.http
        .get('/api/products?search=.*(')
        .expect(200, { items: [], total: 0, page: 1, limit: 20 });
    });

    it.each([
      ['a fractional price', { name: 'x', price: 100.5, stock: 1 }],
      ['a price below ₹1', { name: 'x', price: 99, stock: 1 }],
      ['negative stock', { name: 'x', price: 1000, stock: -1 }],
      ['an unknown field', { name: 'x', price: 1000, stock: 1, discount: 5 }],
      ['a foreign currency', { name: 'x', price: 1000, stock: 1, currency: 'USD' }],
    ])('should answer 400 for %s', async (_, body) => {
      await t.http
        .post('/api/products')
        .set('Authorization', `Bearer ${admin}`)
        .send(body)
        .expect(400);
    });

    it('should answer 404 for an unknown id, 400 for a malformed one, 400 for bad paging', async () => {
      await t.http.get('/api/products/64b7f0000000000000000000').expect(404);
      await t.http.get('/api/products/xyz').expect(400);
      await t.http.get('/api/products?limit=1000').expect(400);
      await t.http.get('/api/products?page=0').expect(400);
      await t.http
        .patch('/api/products/64b7f0000000000000000000')
        .set('Authorization', `Bearer ${admin}`)
        .send({ stock: 1 })
        .expect(404);
    });
  });

  describe('operations', () => {
    it('should report health, publish OpenAPI for every route and expose metrics', async () => {
      await t.http
        .get('/api/health')
        .expect(200)
        .expect((r) => expect(r.body).toMatchObject({ status: 'ok', db: 'up' }));
      const doc = await t.http.get('/docs-json').expect(200);
      const paths = Object.keys(doc.body.paths as object);
      for (const path of [
        '/api/auth/register',
        '/api/auth/login',
        '/api/products',
        '/api/products/{id}',
        '/api/orders',
        '/api/orders/{id}',
        '/api/payments/verify',
        '/api/webhooks/razorpay',
        '/api/me/orders',
        '/api/me/purchases/{productId}',
        '/api/admin/orders',
        '/api/admin/orders/{id}',
        '/api/admin/orders/{id}/refunds',
        '/api/admin/orders/{id}/reconcile',
        '/api/products/{id}/stock-adjustments',
        '/api/admin/webhook-events',
        '/api/admin/webhook-events/{id}/replay',
        '/api/config',
        '/api/health',
        '/api/metrics',
      ]) {
        expect(paths).toContain(path);
      }
      const errorSchema =
        doc.body.paths['/api/orders'].post.responses.default.content['application/json'].schema;
      expect(errorSchema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
      await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
      const metrics = await scrapeMetrics(t);
      expect(metrics.text).toMatch(/# TYPE shop_orders gauge/);
      expect(metrics.text).toMatch(
        /shop_payment_verifications_total|shop_webhook_duplicates_total/,
      );
    });

    it('should answer unknown API routes with the error body', async () => {
      const res = await t.http.get('/api/nope').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });
});
