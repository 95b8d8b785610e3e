import {
  ChangeDetectionStrategy,
  Component,
  OnDestroy,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { Router } from '@angular/router';
import { Subscription } from 'rxjs';
import { Page, Product } from '../api/api-types';
import { apiErrorMessage } from '../core/api-error';
import { ProductsService } from './products-service';
import { ProductCard } from './product-card';

export const PAGE_SIZE = 12;

@Component({
  selector: 'app-catalog-page',
  imports: [ProductCard],
  templateUrl: './catalog-page.html',
  styleUrl: './catalog-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CatalogPage implements OnDestroy {
  /** query params (router input binding) */
  readonly q = input<string | undefined>();
  readonly page = input<string | undefined>();

  private readonly products = inject(ProductsService);
  private readonly router = inject(Router);

  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<Page<Product> | null>(null);
  protected readonly searchText = signal('');
  protected readonly currentPage = computed(() =>
    Math.max(1, Number.parseInt(this.page() ?? '1', 10) || 1),
  );
  protected readonly totalPages = computed(() => {
    const r = this.result();
    return r ? Math.max(1, Math.ceil(r.total / (r.limit || PAGE_SIZE))) : 1;
  });
  protected readonly skeletons = Array.from({ length: 8 }, (_, i) => i);
  private request?: Subscription;
  private debounce?: ReturnType<typeof setTimeout>;

  constructor() {
    effect(() => {
      const search = this.q() ?? '';
      const page = this.currentPage();
      untracked(() => {
        this.searchText.set(search);
        this.load(search, page);
      });
    });
  }

  ngOnDestroy(): void {
    clearTimeout(this.debounce);
    this.request?.unsubscribe();
  }

  /** Subscribed, not awaited: see ProductsService.list (a newer load replaces an older one). */
  protected load(search = this.q() ?? '', page = this.currentPage()): void {
    this.loading.set(true);
    this.error.set(null);
    this.request?.unsubscribe();
    this.request = this.products.list({ page, limit: PAGE_SIZE, search }).subscribe({
      next: (res) => {
        this.result.set(res);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.error.set(apiErrorMessage(err, 'We could not load the products.'));
        this.loading.set(false);
      },
    });
  }

  protected onSearchInput(value: string): void {
    this.searchText.set(value);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.applySearch(), 350);
  }

  protected applySearch(event?: Event): void {
    event?.preventDefault();
    clearTimeout(this.debounce);
    const q = this.searchText().trim();
    if (q === (this.q() ?? '') && this.currentPage() === 1) return;
    void this.router.navigate([], {
      queryParams: { q: q || null, page: null },
      queryParamsHandling: 'merge',
    });
  }

  protected goTo(page: number): void {
    void this.router.navigate([], {
      queryParams: { page: page > 1 ? page : null },
      queryParamsHandling: 'merge',
    });
  }
}
