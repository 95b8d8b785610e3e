import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';

export const FALLBACK_IMAGE = '/images/products/fallback.svg';

/** Product picture with a fallback when the URL is missing or broken. */
@Component({
  selector: 'app-product-image',
  template: `<img
    class="product-img"
    [src]="current()"
    [alt]="alt()"
    width="400"
    height="300"
    [attr.loading]="eager() ? 'eager' : 'lazy'"
    decoding="async"
    (error)="onError()"
  />`,
  host: { style: 'display: block' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProductImage {
  readonly src = input<string | null | undefined>('');
  readonly alt = input('');
  readonly eager = input(false);
  private readonly failed = signal<string | null>(null);
  protected readonly current = computed(() => {
    const src = this.src();
    return !src || this.failed() === src ? FALLBACK_IMAGE : src;
  });

  protected onError(): void {
    const src = this.src();
    if (src) this.failed.set(src);
  }
}
