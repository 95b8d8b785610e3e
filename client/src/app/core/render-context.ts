import { HttpInterceptorFn } from '@angular/common/http';
import { inject, REQUEST_CONTEXT } from '@angular/core';
import { tap } from 'rxjs';

/** What the shop's server passes to a render (server/src/storefront/server-renderer.ts). */
export interface RenderContext {
  /**
   * Set when an API read failed. The browser does not reuse a failed read, so its first render
   * would not match the page: the server sends the client-rendered shell instead.
   */
  apiFailed?: boolean;
}

/** While the server renders a page, notes any API read that failed. In the browser: nothing. */
export const renderFailureInterceptor: HttpInterceptorFn = (req, next) => {
  const context = inject(REQUEST_CONTEXT, { optional: true }) as RenderContext | null;
  if (!context) return next(req);
  return next(req).pipe(tap({ error: () => (context.apiFailed = true) }));
};
