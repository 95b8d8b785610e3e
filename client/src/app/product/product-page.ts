import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Subscription } from 'rxjs';
import { Product } from '../api/api-types';
import { apiErrorMessage, httpStatus } from '../core/api-error';
import { InrPipe } from '../core/inr-pipe';
import { ProductsService } from '../catalog/products-service';
import { CartService, MAX_QTY } from '../cart/cart-service';
import { PurchasesService } from '../account/purchases-service';
import { ProductImage } from '../shared/product-image';

@Component({
  selector: 'app-product-page',
  imports: [RouterLink, InrPipe, ProductImage],
  templateUrl: './product-page.html',
  styleUrl: './product-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProductPage {
  readonly id = input.required<string>();
  private readonly products = inject(ProductsService);
  private readonly cart = inject(CartService);
  private readonly router = inject(Router);
  protected readonly purchases = inject(PurchasesService);

  protected readonly product = signal<Product | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly notFound = signal(false);
  protected readonly quantity = signal(1);
  protected readonly added = signal(false);
  protected readonly maxQty = computed(() =>
    Math.max(1, Math.min(MAX_QTY, this.product()?.stock ?? 1)),
  );
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private request?: Subscription;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.request?.unsubscribe());
    effect(() => {
      const id = this.id();
      untracked(() => this.load(id));
    });
  }

  /** Subscribed, not awaited: see ProductsService.get (a newer load replaces an older one). */
  protected load(id = this.id()): void {
    this.loading.set(true);
    this.error.set(null);
    this.notFound.set(false);
    this.request?.unsubscribe();
    this.request = this.products.get(id).subscribe({
      next: (p) => {
        this.product.set(p);
        this.quantity.set(1);
        this.loading.set(false);
        void this.purchases.check(p.id);
      },
      error: (err: unknown) => {
        const status = httpStatus(err);
        if (status === 404 || status === 400) this.notFound.set(true);
        else this.error.set(apiErrorMessage(err, 'We could not load this product.'));
        this.loading.set(false);
      },
    });
  }

  protected changeQty(delta: number): void {
    this.quantity.update((q) => Math.min(this.maxQty(), Math.max(1, q + delta)));
  }

  protected addToCart(): void {
    const p = this.product();
    if (!p) return;
    this.cart.add(p, this.quantity());
    this.added.set(true);
  }

  protected buyNow(): void {
    const p = this.product();
    if (!p) return;
    void this.router.navigate(['/checkout'], { queryParams: { buy: p.id, qty: this.quantity() } });
  }
}
