// How the built storefront is served (server/src/storefront/storefront.ts): compressed text,
// hashed files cached for a year, index.html revalidated, a valid robots.txt, real 404s for files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL } from './support/harness.mjs';

const get = (path, headers = {}) =>
  fetch(`${BASE_URL}${path}`, { headers: { 'Accept-Encoding': 'br, gzip', ...headers } });

test('index.html is compressed, revalidated on every visit, and inlines the global stylesheet', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(res.headers.get('content-encoding') ?? '', /^(br|gzip)$/);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  const html = await res.text();
  assert.match(html, /<style>:root\{/, 'global CSS inline: the first paint waits for no request');
  assert.doesNotMatch(html, /<link rel="stylesheet" href="styles-/);
  // Deep links get the app too, with the API read their first screen needs announced early.
  const list = await (await get('/api/products?limit=1')).json();
  const id = list.items[0].id;
  const product = await get(`/products/${id}`);
  assert.equal(product.status, 200);
  assert.match(product.headers.get('link') ?? '', new RegExp(`</api/products/${id}>; rel=preload`));
});

test('hashed scripts are compressed and immutable for a year; the API is compressed too', async () => {
  const html = await (await get('/')).text();
  const scripts = [...html.matchAll(/src="((?:main|chunk)-[A-Z0-9]{8}\.js)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 0, 'index.html loads hashed scripts');
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
