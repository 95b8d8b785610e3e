import { AngularAppEngine } from '@angular/ssr';
import type { RenderContext } from './app/core/render-context';

export interface RenderedPage {
  status: number;
  html: string;
}

/**
 * The storefront's renderer, loaded by the shop's NestJS server (server/src/storefront): renders
 * `url` — this server's own loopback address and the page's path — into a page (server-rendered,
 * or the client-rendered shell, per app.routes.server.ts), or null for a path that is not a page.
 * The server addresses the render itself, so the page's API reads go over loopback and no
 * request header ever reaches the render (Angular's host check then only sees that address).
 */
export function createRenderer() {
  const engines = new Map<string, AngularAppEngine>();
  return async (url: string, context: RenderContext): Promise<RenderedPage | null> => {
    const host = new URL(url).hostname;
    let engine = engines.get(host);
    if (!engine) engines.set(host, (engine = new AngularAppEngine({ allowedHosts: [host] })));
    const response = await engine.handle(new Request(url), context);
    if (!response) return null;
    return { status: response.status, html: await response.text() };
  };
}
