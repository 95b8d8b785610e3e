// No page scrolls sideways on a phone: catalog, product, cart, checkout, a failed payment and the
// order page at 320, 375 and 768 px, and nothing sticks out of its card.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeBrowser,
  fillContact,
  gotoCatalog,
  inStockCards,
  openShop,
  payButton,
  sandboxChoose,
  shot,
} from './support/harness.mjs';

after(closeBrowser);

/** Everything that makes the page wider than the screen, or pokes out of a card or panel. */
function overflow() {
  const viewport = document.documentElement.clientWidth;
  const clips = (el) =>
    ['hidden', 'clip', 'auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const describe = (el) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}` +
    ` "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  const problems = [];
  const boxes = 'section, article, form, aside, .panel, .hero, .card, .alert';
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (clips(a)) clipped = true;
    if (clipped) continue;
    if (r.right > viewport + 0.5)
      problems.push(`${describe(el)} ends at ${Math.round(r.right)} px (screen ${viewport} px)`);
    const box = el.parentElement?.closest(boxes);
    if (box) {
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 0.5)
        problems.push(
          `${describe(el)} sticks out of ${describe(box)} by ${Math.round(r.right - b.right)} px`,
        );
    }
  }
  return {
    viewport,
    scrollWidth: document.documentElement.scrollWidth,
    problems: [...new Set(problems)].slice(0, 8),
  };
}

async function assertFits(page, name, width) {
  const { viewport, scrollWidth, problems } = await page.evaluate(overflow);
  await shot(page, `layout-${name}-${width}`);
  assert.deepEqual(problems, [], `${name} at ${width} px:\n${problems.join('\n')}`);
  assert.ok(
    scrollWidth <= viewport,
    `${name} at ${width} px scrolls sideways (${scrollWidth} > ${viewport})`,
  );
}

for (const width of [320, 375, 768]) {
  test(`no sideways scroll at ${width} px: catalog, product, cart, checkout, failed payment, order`, async () => {
    const shop = await openShop({ width, height: 800 });
    try {
      const { page } = shop;
      await gotoCatalog(page);
      await assertFits(page, 'catalog', width);

      const card = inStockCards(page).first();
      const name = ((await card.getByRole('heading').textContent()) ?? '').trim();
      await card.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      await assertFits(page, 'product', width);

      await page.getByRole('button', { name: 'Add to cart', exact: true }).click();
      await page.getByRole('link', { name: 'Go to cart' }).click();
      await page.getByRole('heading', { name: 'Your cart', exact: true }).waitFor();
      await assertFits(page, 'cart', width);

      await page.getByRole('link', { name: 'Proceed to checkout' }).click();
      await page.getByRole('heading', { name: 'Contact details' }).waitFor();
      await fillContact(page);
      await assertFits(page, 'checkout', width);

      await payButton(page).click();
      await sandboxChoose(page, 'Failure');
      await page.getByRole('heading', { name: 'Payment failed', exact: true }).waitFor();
      await assertFits(page, 'payment-failed', width);

      const orderId = await page.evaluate(
        () => Object.keys(JSON.parse(localStorage.getItem('shop.orderTokens.v1') ?? '{}'))[0],
      );
      assert.ok(orderId, 'the order is remembered for the guest');
      await page.goto(`/orders/${orderId}`);
      await page.getByRole('heading', { name: 'Order status', exact: true }).waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await assertFits(page, 'order', width);
      shop.assertNoConsoleErrors();
    } finally {
      await shop.close();
    }
  });
}
