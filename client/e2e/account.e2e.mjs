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

test('sign up → buy → My orders and the Purchased badge; sign out and back in', async () => {
  const shop = await openShop(VIEWPORTS.desktop);
  const email = `meera+${Date.now()}@example.com`;
  const password = 'correct-horse-42';
  try {
    const { page } = shop;
    await page.goto('/account/register');
    await page.getByLabel('Name', { exact: true }).fill('Meera Iyer');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await gotoCatalog(page);
    const card = inStockCards(page).first();
    const productName = ((await card.getByRole('heading').textContent()) ?? '').trim();
    await card.getByRole('button', { name: 'Buy now', exact: true }).click();
    // Prefilled from the account.
    for (
      let i = 0;
      i < 50 && (await page.getByLabel('Email', { exact: true }).inputValue()) !== email;
      i++
    )
      await page.waitForTimeout(100);
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Meera Iyer');
    await fillContact(page, { name: 'Meera Iyer', email, phone: '+917012345678' });
    await payButton(page).click();
    await sandboxChoose(page, 'Success');
    const orderId = await expectPaid(page);

    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await page.getByRole('heading', { name: 'My orders', exact: true }).waitFor();
    const row = page.locator('li').filter({ hasText: orderId });
    await row.waitFor();
    await waitForText(row.locator('.status'), 'Paid');
    await shot(page, 'my-orders-1280');

    await gotoCatalog(page);
    const bought = page
      .locator('article')
      .filter({ has: page.getByRole('heading', { name: productName, exact: true }) });
    await bought.getByText('Purchased', { exact: true }).waitFor();
    await shot(page, 'purchased-badge-1280');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await page.locator('li').filter({ hasText: orderId }).waitFor();
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('sign in with a wrong password shows an error and keeps focus on it (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    await page.goto('/account/sign-in');
    await page.getByLabel('Email', { exact: true }).fill(`nobody+${Date.now()}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-error');
    await shot(page, 'sign-in-error-375');
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});
