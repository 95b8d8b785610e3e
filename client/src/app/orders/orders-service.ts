import { Injectable, inject } from '@angular/core';
import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { CreateOrderRequest, Order, Page, VerifyPaymentRequest } from '../api/api-types';
import { BrowserStorage } from '../core/browser-storage';

const TOKENS_KEY = 'shop.orderTokens.v1';

@Injectable({ providedIn: 'root' })
export class OrdersService {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(BrowserStorage);

  /** POST /api/orders with one Idempotency-Key per attempt; keeps the guest token for later. */
  async create(body: CreateOrderRequest, idempotencyKey: string): Promise<Order> {
    const headers = new HttpHeaders({ 'Idempotency-Key': idempotencyKey });
    const order = await firstValueFrom(this.http.post<Order>('/api/orders', body, { headers }));
    if (order.accessToken) this.rememberToken(order.id, order.accessToken);
    return order;
  }

  /** GET /api/orders/:id as owner (bearer, added by the interceptor) and/or guest (X-Order-Token). */
  get(id: string): Promise<Order> {
    const token = this.tokenFor(id);
    const headers = token ? new HttpHeaders({ 'X-Order-Token': token }) : undefined;
    return firstValueFrom(
      this.http.get<Order>(`/api/orders/${encodeURIComponent(id)}`, { headers }),
    );
  }

  verify(response: VerifyPaymentRequest): Promise<Order> {
    const body: VerifyPaymentRequest = {
      razorpay_order_id: response.razorpay_order_id,
      razorpay_payment_id: response.razorpay_payment_id,
      razorpay_signature: response.razorpay_signature,
    };
    return firstValueFrom(this.http.post<Order>('/api/payments/verify', body));
  }

  mine(page = 1, limit = 20): Promise<Page<Order>> {
    const params = new HttpParams().set('page', page).set('limit', limit);
    return firstValueFrom(this.http.get<Page<Order>>('/api/me/orders', { params }));
  }

  tokenFor(orderId: string): string | null {
    return this.storage.get<Record<string, string>>(TOKENS_KEY)?.[orderId] ?? null;
  }

  /** Order ids this browser can open as a guest, newest first. */
  knownOrderIds(): string[] {
    return Object.keys(this.storage.get<Record<string, string>>(TOKENS_KEY) ?? {}).reverse();
  }

  /** Keeps a guest's access token for the order (from creating it, or from the link in its mail). */
  rememberToken(orderId: string, token: string): void {
    const all = this.storage.get<Record<string, string>>(TOKENS_KEY) ?? {};
    all[orderId] = token;
    this.storage.set(TOKENS_KEY, all);
  }
}
