import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { Order } from '../api/api-types';
import { apiErrorMessage, httpStatus } from '../core/api-error';
import { AuthService } from '../core/auth-service';
import { InrPipe } from '../core/inr-pipe';
import { OrderStatusPipe } from '../core/order-status-pipe';
import { ProductImage } from '../shared/product-image';
import { paymentFailureMessage } from '../checkout/payment-messages';
import { OrdersService } from './orders-service';

@Component({
  selector: 'app-order-page',
  imports: [RouterLink, DatePipe, InrPipe, OrderStatusPipe, ProductImage],
  templateUrl: './order-page.html',
  styleUrl: './order-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrderPage {
  readonly id = input.required<string>();
  /** `?token=` from the link in an order mail: a guest's key to this order. */
  readonly token = input<string>();
  private readonly orders = inject(OrdersService);
  protected readonly auth = inject(AuthService);

  protected readonly order = signal<Order | null>(null);
  protected readonly loading = signal(true);
  protected readonly notFound = signal(false);
  protected readonly error = signal<string | null>(null);
  private timer?: ReturnType<typeof setTimeout>;
  private polls = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
    effect(() => {
      const id = this.id();
      const token = this.token();
      if (token) untracked(() => this.orders.rememberToken(id, token));
      this.auth.token(); // reload after signing in
      untracked(() => void this.load(id));
    });
  }

  protected failureMessage(order: Order): string {
    return paymentFailureMessage(order.lastPaymentError);
  }

  protected async load(id = this.id()): Promise<void> {
    clearTimeout(this.timer);
    this.loading.set(true);
    this.error.set(null);
    this.notFound.set(false);
    try {
      const o = await this.orders.get(id);
      this.order.set(o);
      // A pending order may be settled by a webhook any moment: refresh quietly for a while.
      if (o.status === 'pending' && this.polls++ < 20)
        this.timer = setTimeout(() => void this.load(id), 3000);
    } catch (err) {
      const status = httpStatus(err);
      if (status === 404 || status === 400 || status === 401 || status === 403)
        this.notFound.set(true);
      else this.error.set(apiErrorMessage(err, 'We could not load this order.'));
    } finally {
      this.loading.set(false);
    }
  }
}
