// Server-rendered pages (client/src/app/app.routes.server.ts) must behave like the app from their
// first paint: the browser keeps the server's DOM (hydration, not a second drawing), and a click
// made before the app's scripts have even arrived is replayed once they have. Each test holds the
// app's main script back for a while, as a slow phone network would.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeBrowser, openShop, VIEWPORTS } from './support/harness.mjs';

const HOLD_MAIN_MS = 1_500;

after(closeBrowser);

async function holdMainScript(page) {
  let released = false;
  await page.route(/\/main-[A-Z0-9]{8}\.js$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MAIN_MS));
    released = true;
    await route.continue();
  });
  return () => released;
}

test('the catalog the server drew is kept, not drawn again, once the app loads (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    const mainLoaded = await holdMainScript(page);
    await page.goto('/', { waitUntil: 'commit' });
    await page.locator('article').first().waitFor();
    assert.equal(mainLoaded(), false, 'the products are on screen before the app script');
    await page.evaluate(() => {
      window.serverCard = document.querySelector('article');
    });
    // Add to cart works (at once, or replayed after hydration) on the element the server sent.
    await page.locator('article').first().getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('a.cart-link[aria-label="Cart, 1 item"]').waitFor();
    assert.equal(mainLoaded(), true);
    assert.equal(
      await page.evaluate(() => window.serverCard === document.querySelector('article')),
      true,
      'the server-rendered card is still the one on the page',
    );
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});

test('a click before the app has loaded is not lost: Buy now still opens checkout (375 px)', async () => {
  const shop = await openShop(VIEWPORTS.phone);
  try {
    const { page } = shop;
    const mainLoaded = await holdMainScript(page);
    await page.goto('/', { waitUntil: 'commit' });
    const card = page.locator('article').first();
    const name = (await card.locator('h2').textContent()).trim();
    await card.getByRole('button', { name: 'Buy now', exact: true }).click();
    assert.equal(mainLoaded(), false, 'clicked while the app script was still held back');
    await page.waitForURL(/\/checkout\?buy=[0-9a-f]{24}/);
    await page.getByLabel('Name', { exact: true }).waitFor();
    await page.locator('main').getByText(name).first().waitFor();
    shop.assertNoConsoleErrors();
  } finally {
    await shop.close();
  }
});
