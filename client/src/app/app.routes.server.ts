import { RenderMode, ServerRoute } from '@angular/ssr';

/**
 * Where shoppers land from outside (search, ads, shared links), the server renders the first
 * screen with its data, so it paints before any script runs; the browser then hydrates it.
 * Everything else is the client's alone (orders and account need the shopper's sign-in).
 */
export const serverRoutes: ServerRoute[] = [
  { path: '', renderMode: RenderMode.Server },
  { path: 'products/:id', renderMode: RenderMode.Server },
  // Hydrated like the others; the cart (browser-only) appears in its second render.
  { path: 'checkout', renderMode: RenderMode.Server },
  { path: '**', renderMode: RenderMode.Client },
];
