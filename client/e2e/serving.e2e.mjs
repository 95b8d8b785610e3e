// How the built storefront is served (server/src/storefront/storefront.ts): the landing pages
// drawn by the server, compressed text, hashed files cached for a year, pages revalidated, a
// valid robots.txt, real 404s for files.
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL } from './support/harness.mjs';

const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)(?![^>]*application\/json)[^>]*>([\s\S]*?)<\/script>/g;

const get = (path, headers = {}) =>
  fetch(`${BASE_URL}${path}`, { headers: { 'Accept-Encoding': 'br, gzip', ...headers } });

test('pages are compressed, revalidated on every visit, and inline the global stylesheet', async () => {
  for (const path of ['/', '/cart']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/, path);
    assert.match(res.headers.get('content-encoding') ?? '', /^(br|gzip)$/, path);
    assert.equal(res.headers.get('cache-control'), 'no-cache', path);
    const html = await res.text();
    assert.match(
      html,
      /<style>:root\{/,
      `${path}: global CSS inline, the first paint waits for no request`,
    );
    assert.doesNotMatch(html, /<link rel="stylesheet" href="styles-/, path);
  }
});

test('the catalog, a product and checkout arrive drawn by the server; their scripts load after the first paint', async () => {
  const { items } = await (await get('/api/products?limit=12')).json();
  const product = items[0];
  const pages = {
    '/': items.map((p) => p.name),
    [`/products/${product.id}`]: [product.name, product.description],
    [`/checkout?buy=${product.id}&qty=1`]: ['Contact details', product.name],
  };
  for (const [path, texts] of Object.entries(pages)) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    const html = await res.text();
    assert.match(html, /ng-server-context="ssr"/, `${path} is server-rendered`);
    const escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const text of texts) assert.ok(html.includes(escape(text)), `${path} shows "${text}"`);
    // The app loads after the page has painted (client/public/hydrate-after-paint.js).
    assert.match(
      html,
      /<script src="\/hydrate-after-paint\.js" data-main="main-[A-Z0-9]{8}\.js" defer>/,
    );
    assert.doesNotMatch(html, /modulepreload|<script src="main-/, path);
    // The API reads the server made travel with the page, so the browser does not repeat them.
    assert.match(html, /<script id="ng-state" type="application\/json">/, path);
    assert.equal(res.headers.get('link'), null, `${path}: nothing to preload`);
    // Clicks before hydration are replayed by Angular's inline scripts, allowed by hash only.
    const policy = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    const inline = [...html.matchAll(INLINE_SCRIPT)].map((m) => m[1]);
    assert.ok(inline.length > 0, `${path} has the event-replay scripts`);
    for (const code of inline)
      assert.ok(
        scriptSrc.includes(`'sha256-${createHash('sha256').update(code).digest('base64')}'`),
      );
    assert.doesNotMatch(scriptSrc, /unsafe-inline/);
  }
});

test('a page whose API read fails is sent client-rendered, not as an error', async () => {
  const missing = '0123456789abcdef01234567';
  const res = await get(`/products/${missing}`);
  assert.equal(res.status, 200);
  // The shell announces the API read its first screen needs, so it starts with the scripts.
  assert.match(
    res.headers.get('link') ?? '',
    new RegExp(`</api/products/${missing}>; rel=preload`),
  );
  const html = await res.text();
  assert.doesNotMatch(html, /ng-server-context/);
  assert.match(html, /<app-root>/);
  assert.match(html, /<script src="main-[A-Z0-9]{8}\.js" type="module">/);
});

test('hashed scripts are compressed and immutable for a year; the API is compressed too', async () => {
  const html = await (await get('/cart')).text();
  const scripts = [...html.matchAll(/(?:src|href)="((?:main|chunk)-[A-Z0-9]{8}\.js)"/g)].map(
    (m) => m[1],
  );
  assert.ok(scripts.length > 0, 'the client-rendered shell loads hashed scripts');
  for (const file of scripts) {
    const res = await get(`/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', file);
    assert.match(res.headers.get('content-encoding') ?? '', /^(br|gzip)$/, file);
  }
  const api = await get('/api/products?limit=12');
  assert.equal(api.status, 200);
  assert.match(api.headers.get('content-encoding') ?? '', /^(br|gzip)$/);
  // A client that asks for no encoding gets the plain bytes.
  const plain = await fetch(`${BASE_URL}/${scripts[0]}`, {
    headers: { 'Accept-Encoding': 'identity' },
  });
  assert.equal(plain.headers.get('content-encoding'), null);
});

test('files that keep their names across releases are cached briefly, not forever', async () => {
  const res = await get('/images/logo.svg');
  assert.equal(res.status, 200);
  const cache = res.headers.get('cache-control') ?? '';
  assert.match(cache, /max-age=\d+/);
  assert.doesNotMatch(cache, /immutable/);
});

test('robots.txt is a robots file, and a missing file is a 404 rather than the app', async () => {
  const robots = await get('/robots.txt');
  assert.equal(robots.status, 200);
  assert.match(robots.headers.get('content-type') ?? '', /text\/plain/);
  assert.match(await robots.text(), /^User-agent: \*$/m);
  const missing = await get('/chunk-DOESNOTX.js');
  assert.equal(missing.status, 404);
  assert.doesNotMatch(await missing.text(), /<app-root>/);
});
