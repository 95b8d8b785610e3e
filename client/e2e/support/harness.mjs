// Shared helpers for the storefront browser tests (playwright-core + headless Debian Chromium).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000';
export const SHOTS_DIR =
  process.env.E2E_SCREENSHOTS ?? join(process.cwd(), 'test-artifacts', 'screenshots');
export const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  tablet: { width: 768, height: 1024 },
  desktop: { width: 1280, height: 900 },
};
const TIMEOUT = Number(process.env.E2E_TIMEOUT ?? 15_000);

let browserPromise;
export function browser() {
  return (browserPromise ??= chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  }));
}
export async function closeBrowser() {
  if (browserPromise) await (await browserPromise).close();
  browserPromise = undefined;
}

/** A fresh context (own localStorage) with console-error tracking. */
export async function openShop(viewport = VIEWPORTS.desktop) {
  const context = await (
    await browser()
  ).newContext({ viewport, baseURL: BASE_URL, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  context.setDefaultTimeout(TIMEOUT);
  const errors = [];
  const track = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // The browser logs every non-2xx fetch; expected API answers (404 for a stranger's order) are not app errors.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      errors.push(text);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  };
  context.on('page', track);
  const page = await context.newPage();
  return {
    context,
    page,
    errors,
    async newPage() {
      return context.newPage();
    },
    assertNoConsoleErrors() {
      assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`);
    },
    close: () => context.close(),
  };
}

async function shotPath(name) {
  await mkdir(SHOTS_DIR, { recursive: true });
  return join(SHOTS_DIR, `${name}.png`);
}

export async function shot(page, name) {
  const path = await shotPath(name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the locator's text (whitespace-collapsed) matches. */
export async function waitForText(locator, expected, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (
      (await locator
        .first()
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? ''
    )
      .replace(/\s+/g, ' ')
      .trim();
    if (expected instanceof RegExp ? expected.test(last) : last === expected) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`expected text ${expected} but got "${last}"`);
}

/** Product cards that can be bought right now. */
export function inStockCards(page) {
  return page.locator('article').filter({
    has: page.getByRole('button', { name: 'Buy now', exact: true }).and(page.locator(':enabled')),
  });
}

export async function gotoCatalog(page) {
  await page.goto('/');
  await page.locator('article').first().waitFor();
}

export async function fillContact(
  page,
  { name = 'Asha Rao', email = `asha+${Date.now()}@example.com`, phone = '+91 98765 43210' } = {},
) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Phone', { exact: true }).fill(phone);
}

export function payButton(page) {
  return page.getByRole('button', { name: 'Pay', exact: true });
}

/** Clicks Success or Failure in the sandbox's checkout modal (optionally screenshotting it first). */
export async function sandboxChoose(page, outcome, screenshot) {
  const button = page.getByRole('button', { name: outcome, exact: true });
  await button.waitFor({ state: 'visible' });
  if (screenshot) {
    // The modal loads the order before its buttons are usable.
    for (let i = 0; i < 50 && !(await button.isEnabled()); i++) await page.waitForTimeout(100);
    await page.screenshot({ path: await shotPath(screenshot) });
  }
  await button.click();
}

export async function closeSandbox(page) {
  const close = page.getByRole('button', { name: 'Close', exact: true });
  await close.waitFor({ state: 'visible' });
  await close.click();
}

/** After Success: the server's answer must be "Paid". Returns the order id shown. */
export async function expectPaid(page) {
  await page
    .getByRole('heading', { name: 'Payment successful', exact: true })
    .waitFor({ timeout: 30_000 });
  await waitForText(page.getByTestId('order-status'), 'Paid');
  const orderId = ((await page.getByTestId('order-reference').first().textContent()) ?? '').trim();
  assert.ok(orderId.length > 0, 'order number is shown');
  return orderId;
}
