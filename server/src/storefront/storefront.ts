import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import compression from 'compression';
import express, { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompress, constants as zlib } from 'node:zlib';
import { ServerRenderer } from './server-renderer';

const NOT_STOREFRONT = /^\/(api|docs|sandbox)(\/|$|-json)/;
/** The mark Angular puts on the root element of a page it rendered on the server. */
const SERVER_RENDERED = 'ng-server-context="ssr"';
/** Angular names every built script, stylesheet and media file `<name>-<8-char hash>.<ext>`. */
export const HASHED_FILE = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Product pictures and icons keep their names across releases: a day, then revalidate. */
export const SHORT_LIVED = 'public, max-age=86400, stale-while-revalidate=604800';

/**
 * Serves the built Angular storefront at /: the catalog, product and checkout pages rendered on
 * the server (ServerRenderer), every other page — and any page whose render fails — as the
 * client-rendered shell. Every text response compressed, hashed files cached for a year, pages revalidated on
 * each visit.
 */
export function serveStorefront(
  app: INestApplication,
  browserDir: string,
  renderer: ServerRenderer,
): void {
  // The client-rendered shell (Angular names it so when the build also makes a server bundle).
  const indexPath = join(browserDir, 'index.csr.html');
  if (!existsSync(indexPath)) {
    new Logger('Storefront').warn(
      `No storefront build at ${browserDir}; run "npm run build:client"`,
    );
    return;
  }
  app.use(precompressedScripts(browserDir));
  // Registered before Nest adds its routes, so API answers are compressed too.
  app.use(compression());
  app.use(
    express.static(browserDir, {
      index: false,
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', HASHED_FILE.test(path) ? IMMUTABLE : SHORT_LIVED),
    }),
  );
  // Read again when a new build replaces it, so a running server never serves stale chunk names.
  let index = { mtimeMs: -1, html: '' };
  const currentIndex = (): string => {
    const { mtimeMs } = statSync(indexPath);
    if (mtimeMs !== index.mtimeMs)
      index = {
        mtimeMs,
        html: inlineGlobalStylesheet(readFileSync(indexPath, 'utf8'), browserDir),
      };
    return index.html;
  };
  const sendShell = (req: Request, res: Response) => {
    const preload = firstScreenRequests(req.path, req.query);
    if (preload.length > 0)
      res.setHeader(
        'Link',
        preload.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin=anonymous`).join(', '),
      );
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(currentIndex());
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_STOREFRONT.test(req.path))
      return next();
    // A missing file (an old chunk, a mistyped image) is a 404, not the app with status 200.
    if (extname(req.path) !== '') return next();
    void renderer.page(req).then((page) => {
      // Only a page the server drew is sent as rendered; the shell is the same file every time.
      if (!page || !page.html.includes(SERVER_RENDERED)) return sendShell(req, res);
      const html = loadScriptsAfterPaint(inlineGlobalStylesheet(page.html, browserDir));
      const policy = res.getHeader('Content-Security-Policy');
      if (typeof policy === 'string')
        res.setHeader('Content-Security-Policy', allowInlineScripts(html, policy));
      res.status(page.status).setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
  });
}

/**
 * A server-rendered page is complete without its scripts, so they load after its first paint
 * (client/public/hydrate-after-paint.js): the browser paints the page first, then fetches the
 * app and hydrates it. The module preloads would fetch it early, so they go.
 */
export function loadScriptsAfterPaint(html: string): string {
  return html
    .replace(/<link rel="modulepreload" href="[^"]+">/g, '')
    .replace(
      /<script src="(main-[A-Z0-9]{8}\.js)" type="module"><\/script>/,
      '<script src="/hydrate-after-paint.js" data-main="$1" defer></script>',
    );
}

/** Scripts written into the page itself; `type="application/json"` (transferred state) is data. */
const INLINE_SCRIPT =
  /<script(?![^>]*\ssrc=)(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g;

/**
 * The policy for one server-rendered page: its own inline scripts (Angular's event replay, which
 * records clicks made before hydration) may run, by their SHA-256; no other inline script can.
 */
export function allowInlineScripts(html: string, policy: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
  );
  if (hashes.length === 0) return policy;
  return policy.replace(
    /script-src ([^;]*)/,
    (_, sources: string) => `script-src ${sources} ${hashes.join(' ')}`,
  );
}

/**
 * Hashed scripts and stylesheets never change, so they are compressed once with Brotli's best
 * quality (smaller than what per-request compression can afford) and sent from memory.
 */
function precompressedScripts(browserDir: string) {
  const ready = new Map<string, { body: Buffer; type: string }>();
  for (const file of readdirSync(browserDir)) {
    if (!HASHED_FILE.test(file) || !/\.(js|css)$/.test(file)) continue;
    const raw = readFileSync(join(browserDir, file));
    brotliCompress(
      raw,
      {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
          [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      },
      // Until (or unless) it is ready, the file is served and compressed per request.
      (error, body) => {
        if (!error) ready.set(`/${file}`, { body, type: file.endsWith('.js') ? 'js' : 'css' });
      },
    );
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const file = ready.get(req.path);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.vary('Accept-Encoding');
    if (!/\bbr\b/.test(req.headers['accept-encoding'] ?? '')) return next();
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Encoding', 'br');
    res.setHeader('Content-Length', file.body.length);
    res.type(file.type);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
}

const stylesheets = new Map<string, string>();

/**
 * The global stylesheet is a few kilobytes: inlined, the first paint waits for no request.
 * (The content security policy allows inline styles; component styles ship with their code.)
 */
export function inlineGlobalStylesheet(html: string, browserDir: string): string {
  return html.replace(
    /<link rel="stylesheet" href="(styles-[A-Z0-9]{8}\.css)"[^>]*>/,
    (link, file: string) => {
      const path = join(browserDir, file);
      if (!existsSync(path)) return link;
      // Hashed, so its text never changes: read once (server-rendered pages inline it per request).
      let css = stylesheets.get(path);
      if (css === undefined) {
        css = readFileSync(path, 'utf8').replace(/<\/style/gi, '<\\/style');
        stylesheets.set(path, css);
      }
      return `<style>${css}</style>`;
    },
  );
}

/**
 * The API reads a route's first screen waits for, exactly as the storefront requests them
 * (ProductsService), sent as preload hints with the client-rendered shell so they start alongside the scripts.
 */
export function firstScreenRequests(path: string, query: Request['query']): string[] {
  if (path === '/' && query.q === undefined && query.page === undefined)
    return ['/api/products?page=1&limit=12'];
  const product = /^\/products\/([0-9a-f]{24})$/i.exec(path);
  if (product) return [`/api/products/${product[1]}`];
  if (path === '/checkout' && typeof query.buy === 'string' && /^[0-9a-f]{24}$/i.test(query.buy))
    return [`/api/products/${query.buy}`];
  return [];
}
