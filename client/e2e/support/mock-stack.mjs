// A small in-memory stand-in for the shop API + Razorpay sandbox, implementing the storefront's
// contract. Used by scripts/browser-tests.mjs only when the real stack (scripts/start.mjs) is absent
// or `--mock` is passed, so the browser tests can run while the server is being written.
import http from 'node:http';
import { randomUUID, createHmac } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const SECRET = 'mock_secret';
const KEY_ID = 'rzp_test_mock';
const now = () => new Date().toISOString();
const oid = () => randomUUID().replace(/-/g, '').slice(0, 24);

const DEMO = [
  [
    'cotton-kurta',
    'Cotton Kurta',
    129900,
    25,
    'Breathable handloom cotton kurta with mother-of-pearl buttons.',
  ],
  [
    'masala-chai',
    'Masala Chai',
    34900,
    60,
    'Assam CTC with cardamom, ginger, clove and cinnamon. 250 g.',
  ],
  ['brass-diya', 'Brass Diya', 59900, 15, 'Hand-polished brass oil lamp from Moradabad.'],
  ['silk-saree', 'Silk Saree', 899900, 4, 'Banarasi silk with zari border.'],
  [
    'leather-journal',
    'Leather Journal',
    79900,
    20,
    'Hand-stitched leather journal with 200 pages of cotton paper.',
  ],
  ['clay-planter', 'Clay Planter', 44900, 0, 'Terracotta planter with a drainage hole.'],
  ['spice-box', 'Spice Box', 149900, 12, 'Steel masala dabba with seven katoris.'],
  ['handloom-stole', 'Handloom Stole', 99900, 18, 'Soft handloom stole in indigo and rust.'],
];

export function createMockStack(browserDir) {
  const products = DEMO.map(([slug, name, price, stock, description]) => ({
    id: oid(),
    name,
    description,
    price,
    currency: 'INR',
    imageUrl: `/images/products/${slug}.svg`,
    stock,
    active: true,
    createdAt: now(),
    updatedAt: now(),
  }));
  const users = new Map(); // token -> user
  const orders = new Map();
  const idem = new Map();

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const err = (res, statusCode, message) =>
    send(res, statusCode, { statusCode, error: http.STATUS_CODES[statusCode], message });
  const readBody = (req) =>
    new Promise((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        try {
          resolve(data ? JSON.parse(data) : {});
        } catch {
          resolve(null);
        }
      });
    });
  const userOf = (req) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m ? (users.get(m[1]) ?? null) : null;
  };
  const view = (o, withToken = false) => {
    const { accessToken, ownerId: _ownerId, ...rest } = o;
    // The derived fields the real API adds (OrderResponse.paymentState, checkoutTimeoutSeconds).
    const open = o.status === 'pending';
    const derived = {
      lastPaymentError: null,
      refundRequired: false,
      paymentState: open ? 'awaiting_payment' : /refund|paid/.test(o.status) ? 'settled' : 'closed',
      checkoutTimeoutSeconds: open
        ? Math.max(0, Math.floor((Date.parse(o.expiresAt) - Date.now()) / 1000) - 60)
        : 0,
    };
    return withToken ? { ...rest, ...derived, accessToken } : { ...rest, ...derived };
  };
  const markPaid = (o, source) => {
    if (o.status !== 'pending') return;
    o.status = 'paid';
    o.paidAt = now();
    o.updatedAt = now();
    o.history.push({ status: 'paid', at: now(), source });
  };

  async function api(req, res, url) {
    const path = url.pathname;
    const body = ['POST', 'PATCH'].includes(req.method) ? await readBody(req) : {};
    if (body === null) return err(res, 400, 'Malformed JSON');
    let m;
    if (path === '/api/health') return send(res, 200, { status: 'ok' });
    if (path === '/api/config')
      return send(res, 200, {
        razorpayKeyId: KEY_ID,
        checkoutScriptUrl: '/sandbox/razorpay/checkout.js',
        currency: 'INR',
        mode: 'sandbox',
      });
    if (path === '/api/products' && req.method === 'GET') {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const limit = Math.max(1, Math.min(50, Number(url.searchParams.get('limit') ?? 12)));
      const q = (url.searchParams.get('search') ?? '').toLowerCase();
      const all = products.filter((p) => p.active && p.name.toLowerCase().includes(q));
      return send(res, 200, {
        items: all.slice((page - 1) * limit, page * limit),
        total: all.length,
        page,
        limit,
      });
    }
    if ((m = /^\/api\/products\/([^/]+)$/.exec(path))) {
      const p = products.find((x) => x.id === m[1]);
      return p ? send(res, 200, p) : err(res, 404, 'Product not found');
    }
    if (path === '/api/auth/register' && req.method === 'POST') {
      if (!body.name || !body.email || !body.password || body.password.length < 8)
        return err(res, 400, 'Invalid registration');
      if ([...users.values()].some((u) => u.email === body.email))
        return err(res, 409, 'Email already registered');
      const user = {
        id: oid(),
        name: body.name,
        email: body.email,
        role: 'customer',
        password: body.password,
      };
      const token = randomUUID();
      users.set(token, user);
      return send(res, 201, {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        accessToken: token,
      });
    }
    if (path === '/api/auth/login' && req.method === 'POST') {
      const user = [...users.values()].find(
        (u) => u.email === body.email && u.password === body.password,
      );
      if (!user) return err(res, 401, 'Invalid email or password');
      const token = randomUUID();
      users.set(token, user);
      return send(res, 200, { accessToken: token });
    }
    if (path === '/api/auth/me') {
      const u = userOf(req);
      return u
        ? send(res, 200, { id: u.id, name: u.name, email: u.email, role: u.role })
        : err(res, 401, 'Unauthorized');
    }
    if (path === '/api/orders' && req.method === 'POST') {
      const key = req.headers['idempotency-key'];
      if (key && idem.has(key)) return send(res, 201, view(orders.get(idem.get(key)), true));
      if (!Array.isArray(body.items) || !body.items.length || !body.customer)
        return err(res, 400, 'Invalid order');
      if (JSON.stringify(body).match(/price|amount/i))
        return err(res, 400, 'Prices are not accepted');
      const items = [];
      for (const it of body.items) {
        const p = products.find((x) => x.id === it.productId);
        if (!p) return err(res, 400, 'Unknown product');
        if (p.stock < it.quantity) return err(res, 409, `Not enough stock for ${p.name}`);
        items.push({
          productId: p.id,
          name: p.name,
          unitPrice: p.price,
          quantity: it.quantity,
          lineTotal: p.price * it.quantity,
          imageUrl: p.imageUrl,
        });
      }
      for (const it of items) products.find((x) => x.id === it.productId).stock -= it.quantity;
      const o = {
        id: oid(),
        status: 'pending',
        items,
        amount: items.reduce((s, i) => s + i.lineTotal, 0),
        amountRefunded: 0,
        currency: 'INR',
        customer: body.customer,
        razorpayOrderId: `order_${oid().slice(0, 14)}`,
        razorpayKeyId: KEY_ID,
        accessToken: randomUUID(),
        ownerId: userOf(req)?.id ?? null,
        expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
        paidAt: null,
        createdAt: now(),
        updatedAt: now(),
        history: [{ status: 'pending', at: now(), source: 'checkout' }],
      };
      orders.set(o.id, o);
      if (key) idem.set(key, o.id);
      return send(res, 201, view(o, true));
    }
    if ((m = /^\/api\/orders\/([^/]+)$/.exec(path))) {
      const o = orders.get(m[1]);
      const u = userOf(req);
      if (!o || !((u && u.id === o.ownerId) || req.headers['x-order-token'] === o.accessToken))
        return err(res, 404, 'Order not found');
      return send(res, 200, view(o));
    }
    if (path === '/api/payments/verify' && req.method === 'POST') {
      const o = [...orders.values()].find((x) => x.razorpayOrderId === body.razorpay_order_id);
      const expected = createHmac('sha256', SECRET)
        .update(`${body.razorpay_order_id}|${body.razorpay_payment_id}`)
        .digest('hex');
      if (!o || body.razorpay_signature !== expected)
        return err(res, 400, 'Invalid payment signature');
      markPaid(o, 'verify');
      return send(res, 200, view(o));
    }
    if (path === '/api/me/orders') {
      const u = userOf(req);
      if (!u) return err(res, 401, 'Unauthorized');
      const mine = [...orders.values()].filter((o) => o.ownerId === u.id).reverse();
      return send(res, 200, {
        items: mine.map((o) => view(o)),
        total: mine.length,
        page: 1,
        limit: 20,
      });
    }
    if ((m = /^\/api\/me\/purchases\/([^/]+)$/.exec(path))) {
      const u = userOf(req);
      if (!u) return err(res, 401, 'Unauthorized');
      const o = [...orders.values()].find(
        (x) =>
          x.ownerId === u.id && x.status === 'paid' && x.items.some((i) => i.productId === m[1]),
      );
      return send(res, 200, { purchased: !!o, orderId: o?.id ?? null, paidAt: o?.paidAt ?? null });
    }
    return err(res, 404, 'Not found');
  }

  async function sandbox(req, res, url) {
    if (url.pathname === '/sandbox/razorpay/checkout.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      return res.end(CHECKOUT_JS);
    }
    if (url.pathname === '/sandbox/razorpay/pay' && req.method === 'POST') {
      const body = await readBody(req);
      const o = [...orders.values()].find((x) => x.razorpayOrderId === body.order_id);
      if (!o) return err(res, 404, 'order not found');
      const paymentId = `pay_${oid().slice(0, 14)}`;
      if (body.outcome === 'failure')
        return send(res, 200, {
          error: {
            code: 'BAD_REQUEST_ERROR',
            description: 'Your payment was declined by the bank.',
            source: 'bank',
            step: 'payment_authorization',
            reason: 'payment_failed',
            metadata: { order_id: o.razorpayOrderId, payment_id: paymentId },
          },
        });
      const signature = createHmac('sha256', SECRET)
        .update(`${o.razorpayOrderId}|${paymentId}`)
        .digest('hex');
      return send(res, 200, {
        razorpay_order_id: o.razorpayOrderId,
        razorpay_payment_id: paymentId,
        razorpay_signature: signature,
      });
    }
    return err(res, 404, 'Not found');
  }

  const TYPES = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.ico': 'image/x-icon',
    '.json': 'application/json',
  };
  async function staticFile(req, res, url) {
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = join(browserDir, rel);
    if (
      !file.startsWith(browserDir) ||
      !(await stat(file).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      file = join(browserDir, 'index.csr.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Same policy as the real server (helmet): catches inline scripts/handlers in the build.
      'content-security-policy':
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-src 'self'",
    });
    res.end(await readFile(file));
  }

  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const handler = url.pathname.startsWith('/api/')
      ? api
      : url.pathname.startsWith('/sandbox/')
        ? sandbox
        : staticFile;
    handler(req, res, url).catch((e) => {
      console.error(e);
      err(res, 500, 'mock failure');
    });
  });
}

const CHECKOUT_JS = String.raw`(function () {
  function Razorpay(options) { this.options = options; this.listeners = {}; this.ui = null; }
  Razorpay.prototype.on = function (ev, cb) { (this.listeners[ev] = this.listeners[ev] || []).push(cb); return this; };
  Razorpay.prototype.fire = function (ev, p) { (this.listeners[ev] || []).forEach(function (cb) { cb(p); }); };
  Razorpay.prototype.close = function () { if (this.ui) { this.ui.remove(); this.ui = null; } };
  Razorpay.prototype.dismiss = function () { this.close(); var m = this.options.modal || {}; if (m.ondismiss) m.ondismiss(); };
  Razorpay.prototype.open = function () {
    var rzp = this, o = this.options;
    var overlay = document.createElement('div');
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.55);display:grid;place-items:center;z-index:99999';
    overlay.innerHTML = '<div role="dialog" aria-modal="true" aria-label="Razorpay Checkout (mock)" style="background:#fff;padding:24px;border-radius:8px;min-width:280px;font-family:sans-serif;position:relative">' +
      '<button type="button" aria-label="Close" data-x style="position:absolute;top:6px;right:6px">×</button>' +
      '<h2 style="margin:0 0 8px">Mock Razorpay</h2><p>' + (o.amount / 100).toFixed(2) + ' ' + o.currency + '</p><p role="alert" data-alert></p>' +
      '<button type="button" data-ok>Success</button> <button type="button" data-fail>Failure</button></div>';
    document.body.appendChild(overlay);
    this.ui = overlay;
    function pay(outcome) {
      fetch('/sandbox/razorpay/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: o.order_id, outcome: outcome }) })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (d.razorpay_payment_id) { rzp.close(); o.handler(d); return; }
          overlay.querySelector('[data-alert]').textContent = 'Payment failed: ' + d.error.description;
          rzp.fire('payment.failed', d);
        });
    }
    overlay.querySelector('[data-ok]').onclick = function () { pay('success'); };
    overlay.querySelector('[data-fail]').onclick = function () { pay('failure'); };
    overlay.querySelector('[data-x]').onclick = function () { rzp.dismiss(); };
  };
  window.Razorpay = Razorpay;
})();`;

// `node client/e2e/support/mock-stack.mjs` runs it on PORT for manual checks.
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  createMockStack(join(process.cwd(), 'dist/client/browser')).listen(port, '127.0.0.1', () =>
    console.log(`mock stack on http://127.0.0.1:${port}`),
  );
}
