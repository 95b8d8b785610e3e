import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { InrPipe } from '../core/inr-pipe';
import { CartService, MAX_QTY } from './cart-service';
import { ProductImage } from '../shared/product-image';

@Component({
  selector: 'app-cart-page',
  imports: [RouterLink, InrPipe, ProductImage],
  templateUrl: './cart-page.html',
  styleUrl: './cart-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CartPage {
  protected readonly cart = inject(CartService);

  protected maxFor(stock: number): number {
    return Math.max(1, Math.min(MAX_QTY, stock > 0 ? stock : MAX_QTY));
  }
}
