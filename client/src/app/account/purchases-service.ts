import { Injectable, effect, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { PurchaseStatus } from '../api/api-types';
import { AuthService } from '../core/auth-service';

/** "Have I bought this already?" per product, cached for the signed-in shopper. */
@Injectable({ providedIn: 'root' })
export class PurchasesService {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);
  private readonly statuses = signal<Record<string, PurchaseStatus>>({});
  private readonly inflight = new Map<string, Promise<void>>();

  constructor() {
    effect(() => {
      this.auth.token();
      this.statuses.set({});
      this.inflight.clear();
    });
  }

  /** Reactive: true once the server says this account bought the product. */
  purchased(productId: string): boolean {
    return this.statuses()[productId]?.purchased === true;
  }

  status(productId: string): PurchaseStatus | null {
    return this.statuses()[productId] ?? null;
  }

  /** Fetches (once) the purchase status when signed in; failures just mean "no badge". */
  check(productId: string): Promise<void> {
    if (!this.auth.signedIn()) return Promise.resolve();
    const existing = this.inflight.get(productId);
    if (existing) return existing;
    const p = firstValueFrom(
      this.http.get<PurchaseStatus>(`/api/me/purchases/${encodeURIComponent(productId)}`),
    ).then(
      (s) => this.statuses.update((all) => ({ ...all, [productId]: s })),
      () => {
        this.inflight.delete(productId);
      },
    );
    this.inflight.set(productId, p);
    return p;
  }

  /** After a successful payment the badge should appear without a reload. */
  forget(): void {
    this.statuses.set({});
    this.inflight.clear();
  }
}
