import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL,
  VIEWPORTS,
  closeBrowser,
  closeSandbox,
  expectPaid,
  fillContact,
  gotoCatalog,
  inStockCards,
  openShop,
  payButton,
  sandboxChoose,
  shot,
  waitForText,
} from './support/harness.mjs';

after(closeBrowser);

test('catalog shows products with INR prices, Buy now and Add to cart (1280 px)', async () => {
  const shop = await openShop(VIEWPORTS.desktop);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    const first = inStockCards(page).first();
    assert.match((await first.textContent()) ?? '', /₹\d{1,3}(,\d{2,3})*\.\d{2}/);
    assert.equal(await first.getByRole('button', { name: 'Buy now', exact: true }).count(), 1);
    assert.equal(await first.getByRole('button', { name: 'Add to cart', exact: true }).count(), 1);
    assert.ok((await first.locator('img').count()) === 1);
    await shot(page, 'catalog-1280');

    // Search narrows the list; the product page has the details and the same two actions.
    const name = ((await first.getByRole('heading').textContent()) ?? '').trim();
    await page.getByRole('searchbox', { name: 'Search products' }).fill(name);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/[?&]q=/);
    await page.getByRole('link', { name, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add to cart', exact: true }).count(), 1);
    await shot(page, 'product-1280');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('buy now → Pay → Success → "Payment successful" and "Paid" (1280 px)', async () => {
  const shop = await openShop(VIEWPORTS.desktop);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await page.waitForURL(/\/checkout\?/);
    await fillContact(page);
    await shot(page, 'checkout-1280');
    await payButton(page).click();
    await sandboxChoose(page, 'Success', 'sandbox-checkout-1280');
    await expectPaid(page);
    await shot(page, 'buy-now-success-1280');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('Failure → "Payment failed" → Retry → Success (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await shot(page, 'catalog-375');
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page, { phone: '9876543210' });
    await shot(page, 'checkout-375');
    await payButton(page).click();
    await sandboxChoose(page, 'Failure', 'sandbox-checkout-375');
    await page.getByRole('heading', { name: 'Payment failed', exact: true }).waitFor();
    const reason = ((await page.getByTestId('failure-reason').textContent()) ?? '').trim();
    assert.ok(reason.length > 0, 'shows Razorpay’s description');
    await shot(page, 'payment-failed-375');
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await sandboxChoose(page, 'Success');
    await expectPaid(page);
    await shot(page, 'retry-success-375');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

/** Calls the sandbox's control API (behind the API keys), e.g. to arm a fault. */
async function sandboxControl(method, path, body) {
  const keyId = process.env.RAZORPAY_KEY_ID ?? 'rzp_test_SandboxKey0001';
  const keySecret = process.env.RAZORPAY_KEY_SECRET ?? 'sandbox_key_secret';
  const res = await fetch(`${BASE_URL}/sandbox/razorpay/_sandbox/${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `sandbox ${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** Every distinct h1 text the page shows, in order, however briefly. */
async function recordHeadings(page) {
  await page.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, '__headings', { value: seen });
    new MutationObserver(() => {
      const text = document.querySelector('h1')?.textContent?.trim();
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => window.__headings);
}

test('a payment being confirmed says "Confirming your payment", never "failed", then "Paid" (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    const headings = await recordHeadings(page);
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page);
    await payButton(page).click();
    // The shop cannot ask Razorpay about the payment (every read attempt fails), so verify answers
    // "confirming"; the webhooks, which Razorpay retries later, are what settle the order. Every
    // delivery attempt is lost until then (a delay alone is not enough: the profile's duplicate
    // copy of an event is not its first attempt, and it once paid the order before verify ran).
    // The counts are generous because late deliveries from earlier tests take some too; once
    // "confirming" shows, the faults are cleared and the held retries are delivered now.
    await sandboxControl('POST', 'faults', {
      target: 'api',
      type: 'error',
      status: 503,
      match: 'GET /v1/payments/',
      count: 60,
    });
    await sandboxControl('POST', 'faults', { target: 'webhooks', type: 'drop', count: 500 });
    await sandboxChoose(page, 'Success');
    await page.getByRole('heading', { name: 'Confirming your payment…', exact: true }).waitFor();
    await shot(page, 'payment-confirming-375');
    await sandboxControl('DELETE', 'faults');
    await sandboxControl('POST', 'flush', { kinds: ['delivery', 'retry'] });
    await expectPaid(page);
    const seen = await headings();
    assert.ok(seen.includes('Confirming your payment…'), `headings: ${seen.join(' → ')}`);
    assert.ok(!seen.some((h) => /fail|expired/i.test(h)), `never failed: ${seen.join(' → ')}`);
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
    await sandboxControl('DELETE', 'faults');
  }
});

test('a declined payment is explained in words, with the codes tucked away (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page);
    await payButton(page).click();
    // Razorpay's test card for "insufficient funds".
    await page.getByLabel('Card number').fill('4100 2800 0008 0001');
    await sandboxChoose(page, 'Success');
    await page.getByRole('heading', { name: 'Payment failed', exact: true }).waitFor();
    await waitForText(
      page.getByTestId('failure-reason'),
      'There isn’t enough balance in the account for this payment. Try another card, account or UPI app.',
    );
    const details = page.getByTestId('failure-details');
    assert.equal(await details.evaluate((d) => d.open), false, 'codes start collapsed');
    await details.locator('summary').click();
    await waitForText(details.locator('code'), /^insufficient_funds · BAD_REQUEST_ERROR$/);
    await shot(page, 'payment-declined-375');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('dismissing the checkout returns to checkout with a calm message; the order is still payable', async () => {
  const shop = await openShop(VIEWPORTS.desktop);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page);
    await payButton(page).click();
    await closeSandbox(page);
    await waitForText(page.locator('#checkout-notice'), /your order is saved/i);
    assert.equal(await payButton(page).isEnabled(), true);
    await shot(page, 'dismissed-1280');
    // Same order, paid on the second go.
    await payButton(page).click();
    await sandboxChoose(page, 'Success');
    await expectPaid(page);
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('a cart of two products, persisted across a reload, paid in one order (768 px)', async () => {
  const shop = await openShop(VIEWPORTS.tablet);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    const cards = inStockCards(page);
    assert.ok((await cards.count()) >= 2, 'at least two products in stock');
    const names = [];
    for (const i of [0, 1]) {
      const card = cards.nth(i);
      names.push(((await card.getByRole('heading').textContent()) ?? '').trim());
      await card.getByRole('button', { name: 'Add to cart', exact: true }).click();
    }
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: 'Your cart', exact: true }).waitFor();
    await page.reload();
    for (const name of names) await page.getByRole('link', { name, exact: true }).first().waitFor();
    await page.getByRole('button', { name: `Increase quantity of ${names[0]}` }).click();
    await waitForText(
      page.getByRole('heading', { name: 'Your cart' }).locator('xpath=..').locator('p'),
      '3 items',
    );
    await shot(page, 'cart-two-products-768');
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await fillContact(page);
    await payButton(page).click();
    await sandboxChoose(page, 'Success');
    await expectPaid(page);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.match(text, /Amount paid/);
    await shot(page, 'cart-success-768');
    // The cart is emptied only after the server confirmed payment.
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: 'Your cart is empty' }).waitFor();
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('checkout validates the contact form before creating an order', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page, { phone: '12345', email: 'nope' });
    await payButton(page).click();
    await page.getByText('Enter a 10-digit Indian mobile number').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert.equal(focused, 'checkout-email', 'focus moves to the first invalid field');
    await shot(page, 'checkout-validation-375');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('a double click on Pay makes one order (1280 px)', async () => {
  const shop = await openShop(VIEWPORTS.desktop);
  try {
    const { page } = shop;
    const email = `double+${Date.now()}@example.com`;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await page.waitForURL(/\/checkout\?/);
    await fillContact(page, { email });
    await payButton(page).dblclick();
    await sandboxChoose(page, 'Success');
    await expectPaid(page);

    // Ask the shop itself, as an operator would: one order for this shopper, and it is paid.
    const login = await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: process.env.ADMIN_EMAIL ?? 'admin@example.com',
        password: process.env.ADMIN_PASSWORD ?? 'admin-password',
      }),
    });
    const { accessToken } = await login.json();
    const list = await fetch(`${BASE_URL}/api/admin/orders?email=${encodeURIComponent(email)}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    const orders = await list.json();
    assert.equal(orders.total, 1);
    assert.equal(orders.items[0].status, 'paid');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});
