#!/usr/bin/env node
// Fails when the storefront's initial JavaScript (what the page shell, index.csr.html, loads before any lazy route)
// exceeds the gzip budget. Angular's own budgets measure raw bytes; this measures what is sent.
//   node scripts/check-client-size.mjs [maxKiB=150]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'dist/client/browser');
const maxKiB = Number(process.argv[2] ?? process.env.CLIENT_MAX_INITIAL_GZIP_KIB ?? 150);
const html = readFileSync(join(dir, 'index.csr.html'), 'utf8');
const files = [
  ...new Set(
    [
      ...html.matchAll(
        /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g,
      ),
    ].map((m) => m[1]),
  ),
];
let raw = 0;
let gz = 0;
for (const f of files) {
  const buf = readFileSync(join(dir, f));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
}
const kib = (n) => (n / 1024).toFixed(1);
console.log(
  `initial JS: ${files.length} files, ${kib(raw)} KiB raw, ${kib(gz)} KiB gzip (budget ${maxKiB} KiB gzip)`,
);
if (files.length === 0 || gz > maxKiB * 1024) {
  console.error(
    files.length === 0 ? 'no initial scripts found in index.csr.html' : 'initial JS is over budget',
  );
  process.exit(1);
}
