import { existsSync } from 'node:fs';
import http from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils';
import {
  CAPTURE_ON_FLUSH,
  closeServer,
  flush,
  KEY_ID,
  KEY_SECRET,
  listen,
  payAndSettle,
  Receiver,
  waitFor,
} from './helpers';
import { startShopHost, type ShopHost } from './host';

const CHROMIUM = '/usr/bin/chromium';

// The storefront side of the test: an external script only (CSP forbids inline code).
const APP_JS = `
window.results = [];
function record(kind, value) {
  window.results.push({ kind: kind, value: value });
  document.getElementById('log').textContent = JSON.stringify(window.results);
}
var params = new URLSearchParams(location.search);
var rzp = new Razorpay({
  key: params.get('key') || '${KEY_ID}',
  amount: 50000,
  currency: 'INR',
  name: 'Test Shop',
  description: 'Order for tests',
  order_id: params.get('order'),
  prefill: { email: 'shopper@example.com', contact: '+919876543210' },
  handler: function (response) { record('handler', response); },
  modal: { ondismiss: function () { record('dismiss', null); } }
});
rzp.on('payment.failed', function (response) { record('failed', response); });
document.getElementById('pay').addEventListener('click', function () { rzp.open(); });
`;

const page = (scriptSrc: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="${scriptSrc}"></script></head>
<body><main><h1>Checkout</h1><button id="pay" type="button">Pay now</button><pre id="log"></pre></main>
<script src="app.js"></script></body></html>`;

const describeIfChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeIfChromium('checkout.js in headless Chromium', () => {
  let browser: Browser;
  let host: ShopHost;
  let rx: Receiver;
  let crossOrigin: http.Server;
  let crossOriginUrl: string;

  beforeAll(async () => {
    rx = await new Receiver().start();
    // Same origin as the shop: helmet's CSP (script-src 'self') applies to the page.
    // A shorter UPI collect wait keeps the suite quick; the wait itself is still exercised.
    // Captures run when the test flushes, so the `authorized` checks are not racing the timer.
    host = await startShopHost(
      { webhookUrl: rx.url, settings: { upiCollectDelayMs: 1500, ...CAPTURE_ON_FLUSH } },
      (app) => {
        app.get(
          '/shop/',
          (_req, res) => void res.type('html').send(page('/sandbox/razorpay/checkout.js')),
        );
        app.get('/favicon.ico', (_req, res) => void res.status(204).end());
        app.get(
          '/shop/app.js',
          (_req, res) => void res.type('application/javascript').send(APP_JS),
        );
      },
    );
    // Another origin with an even stricter CSP (no inline styles) loading the sandbox's script.
    crossOrigin = http.createServer((req, res) => {
      const csp = `default-src 'self'; script-src 'self' ${host.origin}; connect-src ${host.origin}; style-src 'self'`;
      if (req.url?.startsWith('/app.js')) {
        res.writeHead(200, { 'content-type': 'application/javascript' }).end(APP_JS);
      } else {
        res
          .writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp })
          .end(page(`${host.base}/checkout.js`));
      }
    });
    crossOriginUrl = `http://127.0.0.1:${await listen(crossOrigin)}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await rx?.stop();
    if (crossOrigin) await closeServer(crossOrigin);
  });

  const newOrder = () => host.rzp.orders.create({ amount: 50000, currency: 'INR' });

  async function openPage(url: string): Promise<{ p: Page; errors: string[] }> {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await p.goto(url);
    return { p, errors };
  }

  const results = (p: Page) =>
    p.evaluate(() => (window as any).results as { kind: string; value: any }[]);

  it('should pay with Success, call handler with a server-signed response and restore focus', async () => {
    const order = await newOrder();
    const { p, errors } = await openPage(`${host.origin}/shop/?order=${order.id}`);
    await p.getByRole('button', { name: 'Pay now' }).click();
    const dialog = p.getByRole('dialog', { name: /Test Shop/ });
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.getAttribute('aria-modal')).resolves.toBe('true');
    await expect(
      dialog.getByText('Sandbox / Test mode', { exact: false }).isVisible(),
    ).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain('₹500.00');
    // Focus moved into the dialog (the checked method radio).
    await expect(
      p.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null),
    ).resolves.toBe(true);

    await dialog.getByRole('button', { name: 'Success', exact: true }).click();
    await p.waitForFunction(() => (window as any).results.length > 0);
    const [result] = await results(p);
    expect(result.kind).toBe('handler');
    const { razorpay_payment_id, razorpay_order_id, razorpay_signature } = result.value;
    expect(razorpay_order_id).toBe(order.id);
    expect(
      validatePaymentVerification(
        { order_id: order.id, payment_id: razorpay_payment_id },
        razorpay_signature,
        KEY_SECRET,
      ),
    ).toBe(true);
    await expect(dialog.count()).resolves.toBe(0);
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('pay');
    // The handler fires on an authorized payment; the capture follows (here: flushed).
    await expect(host.rzp.orders.fetch(order.id)).resolves.toMatchObject({ status: 'attempted' });
    await expect(host.rzp.payments.fetch(razorpay_payment_id)).resolves.toMatchObject({
      status: 'authorized',
    });
    await flush(host.base);
    await expect(host.rzp.orders.fetch(order.id)).resolves.toMatchObject({ status: 'paid' });
    await waitFor(() =>
      rx.events('order.paid').some((r) => r.json.payload.order.entity.id === order.id),
    );
    expect(errors).toEqual([]);
    await p.close();
  });

  it('should fire payment.failed on Failure, keep the modal open, then succeed on retry with UPI', async () => {
    const order = await newOrder();
    const { p, errors } = await openPage(`${host.origin}/shop/?order=${order.id}`);
    await p.getByRole('button', { name: 'Pay now' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Failure', exact: true }).click();
    await p.waitForFunction(() => (window as any).results.length === 1);
    const [failed] = await results(p);
    expect(failed.kind).toBe('failed');
    expect(failed.value.error).toMatchObject({
      code: 'BAD_REQUEST_ERROR',
      source: expect.any(String),
      step: expect.any(String),
      reason: 'payment_failed',
      metadata: { order_id: order.id, payment_id: expect.stringMatching(/^pay_/) },
    });
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('Payment failed');

    await dialog.getByRole('radio', { name: 'UPI' }).check();
    await expect(dialog.getByLabel('UPI ID').inputValue()).resolves.toBe('success@razorpay');
    await dialog.getByRole('button', { name: 'Success', exact: true }).click();
    // UPI collect: the modal waits for the approval while the payment is `created`.
    await expect(dialog.getByRole('status').textContent()).resolves.toContain('UPI app');
    let waiting: string[] = [];
    for (let i = 0; i < 50 && waiting.length < 2; i++) {
      waiting = (await host.rzp.orders.fetchPayments(order.id)).items.map((x) => x.status);
    }
    expect(waiting).toEqual(['failed', 'created']);
    await p.waitForFunction(() => (window as any).results.length === 2);
    const [, ok] = await results(p);
    expect(ok.kind).toBe('handler');
    const payments = await host.rzp.orders.fetchPayments(order.id);
    expect(payments.items.map((x) => [x.status, x.method])).toEqual([
      ['failed', 'card'],
      ['authorized', 'upi'],
    ]);
    expect(payments.items[1]).toMatchObject({
      email: 'shopper@example.com',
      vpa: 'success@razorpay',
    });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('should dismiss with Escape and with the Close button, calling ondismiss, and trap focus', async () => {
    const order = await newOrder();
    const { p, errors } = await openPage(`${host.origin}/shop/?order=${order.id}`);
    await p.getByRole('button', { name: 'Pay now' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Success', exact: true }).waitFor();
    for (let i = 0; i < 25; i++) await p.keyboard.press('Tab');
    await expect(
      p.evaluate(() => !!document.activeElement?.closest('[role=dialog]')),
    ).resolves.toBe(true);
    for (let i = 0; i < 5; i++) await p.keyboard.press('Shift+Tab');
    await expect(
      p.evaluate(() => !!document.activeElement?.closest('[role=dialog]')),
    ).resolves.toBe(true);

    await p.keyboard.press('Escape');
    await p.waitForFunction(() => (window as any).results.length === 1);
    await expect(dialog.count()).resolves.toBe(0);
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('pay');

    await p.getByRole('button', { name: 'Pay now' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await p.waitForFunction(() => (window as any).results.length === 2);
    expect((await results(p)).map((r) => r.kind)).toEqual(['dismiss', 'dismiss']);
    await expect(host.rzp.orders.fetch(order.id)).resolves.toMatchObject({
      status: 'created',
      attempts: 0,
    });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('should refuse to pay an order that is already paid', async () => {
    const order = await newOrder();
    await payAndSettle(host.base, order.id, 'success');
    const { p } = await openPage(`${host.origin}/shop/?order=${order.id}`);
    await p.getByRole('button', { name: 'Pay now' }).click();
    const dialog = p.getByRole('dialog');
    await p.waitForFunction(() =>
      document.querySelector('[role=alert]')?.textContent?.includes('already paid'),
    );
    await expect(
      dialog.getByRole('button', { name: 'Success', exact: true }).isDisabled(),
    ).resolves.toBe(true);
    await p.close();
  });

  it('should work from another origin under a strict CSP, finding its API from its script URL', async () => {
    const order = await newOrder();
    const { p, errors } = await openPage(`${crossOriginUrl}?order=${order.id}`);
    await p.getByRole('button', { name: 'Pay now' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Netbanking' }).check();
    await dialog.getByRole('button', { name: 'Success', exact: true }).click();
    await p.waitForFunction(() => (window as any).results.length === 1);
    expect((await results(p))[0].kind).toBe('handler');
    await expect(host.rzp.orders.fetchPayments(order.id)).resolves.toMatchObject({
      items: [{ method: 'netbanking', bank: 'HDFC', status: 'authorized' }],
    });
    expect(errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    await p.close();
  });
});
