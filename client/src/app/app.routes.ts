import { Routes } from '@angular/router';
import { authGuard } from './core/auth-guard';

// Every page is its own chunk. The pages shoppers land on from outside (catalog, product,
// checkout) are drawn by the server (app.routes.server.ts), so their first screen waits for no
// script at all; the first script is the framework and the shell only.

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Dukaan — handmade in India',
    loadComponent: () => import('./catalog/catalog-page').then((m) => m.CatalogPage),
  },
  {
    path: 'products/:id',
    title: 'Product — Dukaan',
    loadComponent: () => import('./product/product-page').then((m) => m.ProductPage),
  },
  {
    path: 'cart',
    title: 'Your cart — Dukaan',
    loadComponent: () => import('./cart/cart-page').then((m) => m.CartPage),
  },
  {
    path: 'checkout',
    title: 'Checkout — Dukaan',
    loadComponent: () => import('./checkout/checkout-page').then((m) => m.CheckoutPage),
  },
  {
    path: 'orders/:id',
    title: 'Order status — Dukaan',
    loadComponent: () => import('./orders/order-page').then((m) => m.OrderPage),
  },
  {
    path: 'account/orders',
    title: 'My orders — Dukaan',
    canActivate: [authGuard],
    loadComponent: () => import('./orders/my-orders-page').then((m) => m.MyOrdersPage),
  },
  {
    path: 'account/sign-in',
    title: 'Sign in — Dukaan',
    loadComponent: () => import('./account/sign-in-page').then((m) => m.SignInPage),
  },
  {
    path: 'account/register',
    title: 'Create account — Dukaan',
    loadComponent: () => import('./account/register-page').then((m) => m.RegisterPage),
  },
  {
    path: '**',
    title: 'Page not found — Dukaan',
    loadComponent: () => import('./shared/not-found-page').then((m) => m.NotFoundPage),
  },
];
