import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Product } from '../api/api-types';
import { InrPipe } from '../core/inr-pipe';
import { CartService } from '../cart/cart-service';
import { PurchasesService } from '../account/purchases-service';
import { ProductImage } from '../shared/product-image';

@Component({
  selector: 'app-product-card',
  imports: [RouterLink, InrPipe, ProductImage],
  templateUrl: './product-card.html',
  styleUrl: './product-card.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProductCard implements OnInit {
  readonly product = input.required<Product>();
  /** above the fold: load the picture right away */
  readonly eager = input(false);
  private readonly cart = inject(CartService);
  private readonly router = inject(Router);
  protected readonly purchases = inject(PurchasesService);
  protected readonly added = signal(false);
  private addedTimer?: ReturnType<typeof setTimeout>;

  ngOnInit(): void {
    void this.purchases.check(this.product().id);
  }

  protected addToCart(): void {
    this.cart.add(this.product(), 1);
    this.added.set(true);
    clearTimeout(this.addedTimer);
    this.addedTimer = setTimeout(() => this.added.set(false), 2500);
  }

  protected buyNow(): void {
    void this.router.navigate(['/checkout'], { queryParams: { buy: this.product().id, qty: 1 } });
  }
}
