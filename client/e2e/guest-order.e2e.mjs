import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
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

test('a guest reopens their order page later; a stranger cannot see it', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  let orderId;
  try {
    const { page } = shop;
    await gotoCatalog(page);
    await inStockCards(page).first().getByRole('button', { name: 'Buy now', exact: true }).click();
    await fillContact(page, { name: 'Ravi Kumar' });
    await payButton(page).click();
    await sandboxChoose(page, 'Success');
    orderId = await expectPaid(page);

    // Later, in a new tab of the same browser (the stored access token is used).
    const later = await shop.newPage();
    await later.goto(`/orders/${orderId}`);
    await later.getByRole('heading', { name: 'Order status', exact: true }).waitFor();
    await waitForText(later.getByTestId('order-status'), 'Paid');
    await waitForText(later.getByTestId('order-reference'), orderId);
    await later.getByRole('heading', { name: 'History' }).waitFor();
    assert.match((await later.locator('main').textContent()) ?? '', /₹[\d,]+\.\d{2}/);
    await shot(later, 'guest-order-page-375');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }

  // Someone else's browser: no token, no order.
  const stranger = await openShop(VIEWPORTS.desktop);
  try {
    await stranger.page.goto('/');
    await stranger.page.goto(`/orders/${orderId}`);
    await stranger.page.getByRole('heading', { name: 'Order not found' }).waitFor();
    await shot(stranger.page, 'order-not-found-1280');
    stranger.assertNoConsoleErrors();
  } finally {
    await stranger.close();
  }
});
