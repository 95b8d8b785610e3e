// Buy something → exactly one confirmation in the mail catcher (MailDev, started by npm start in
// sandbox mode), naming the order number; its link opens the order in a browser that never saw it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL,
  VIEWPORTS,
  closeBrowser,
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

const ADMIN = {
  email: process.env.ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.ADMIN_PASSWORD ?? 'admin-password',
};

/** The catcher's web inbox, as the shop reports it to operators. */
async function inboxUrl() {
  const login = await fetch(`${BASE_URL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  assert.equal(login.status, 200, 'operator sign-in');
  const { accessToken } = await login.json();
  const res = await fetch(`${BASE_URL}/api/admin/mail-catcher`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  assert.equal(res.status, 200, 'npm start runs a mail catcher in sandbox mode');
  return (await res.json()).inboxUrl;
}

async function mailsTo(inbox, address) {
  const res = await fetch(`${inbox}api/email`);
  assert.equal(res.status, 200);
  return (await res.json()).filter((m) => m.to.some((t) => t.address === address));
}

async function eventually(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('buying something sends exactly one confirmation naming the order number', async () => {
  const inbox = await inboxUrl();
  const email = `mail+${Date.now()}@example.com`;
  const shop = await openShop(VIEWPORTS.phone);
  let orderNumber;
  let mail;
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page, { name: 'Kavya Menon', email });
    await payButton(page).click();
    await sandboxChoose(page, 'Success');
    await expectPaid(page);
    orderNumber = ((await page.getByTestId('order-ref').first().textContent()) ?? '').trim();
    assert.match(orderNumber, /^DK-\d{6}$/, 'the success page shows the order number');
    shop.assertNoConsoleErrors();

    [mail] = await eventually(
      async () => {
        const found = await mailsTo(inbox, email);
        return found.length > 0 && found;
      },
      60_000,
      'a confirmation arrives in the mail catcher',
    );
    // The sandbox delivers its webhooks more than once and late: give them time to race.
    await new Promise((r) => setTimeout(r, 5_000));
    const all = await mailsTo(inbox, email);
    assert.equal(all.length, 1, `exactly one mail to the shopper, got ${all.length}`);
    assert.ok(mail.subject.includes(orderNumber), `subject names ${orderNumber}: ${mail.subject}`);
    assert.ok(mail.text.includes(orderNumber), 'the plain-text part names the order number');
    assert.ok(mail.html.includes(orderNumber), 'the HTML part names the order number');
    assert.match(mail.text, /Total paid: ₹[\d,]+\.\d{2}/);

    const inboxPage = await shop.newPage();
    await inboxPage.goto(inbox);
    await inboxPage.getByText(mail.subject).first().waitFor({ timeout: 15_000 });
    await shot(inboxPage, 'mail-catcher-confirmation-375');
  } finally {
    await shop.close();
  }

  // The link in the mail carries the guest's token: it opens the order in a fresh browser.
  const link = /See your order: (\S+)/.exec(mail.text)?.[1];
  assert.ok(link, 'the mail links to the order page');
  const path = new URL(link).pathname + new URL(link).search;
  const stranger = await openShop(VIEWPORTS.desktop);
  try {
    await stranger.page.goto(path);
    await stranger.page.getByRole('heading', { name: 'Order status', exact: true }).waitFor();
    await waitForText(stranger.page.getByTestId('order-ref'), orderNumber);
    await waitForText(stranger.page.getByTestId('order-status'), 'Paid');
    await shot(stranger.page, 'order-from-mail-link-1280');
    stranger.assertNoConsoleErrors();
  } finally {
    await stranger.close();
  }
});
