import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { Order } from '../api/api-types';
import { apiErrorMessage } from '../core/api-error';
import { AuthService } from '../core/auth-service';
import { InrPipe } from '../core/inr-pipe';
import { OrderStatusPipe } from '../core/order-status-pipe';
import { OrdersService } from './orders-service';

@Component({
  selector: 'app-my-orders-page',
  imports: [RouterLink, DatePipe, InrPipe, OrderStatusPipe],
  templateUrl: './my-orders-page.html',
  styleUrl: './my-orders-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyOrdersPage implements OnInit {
  private readonly orders = inject(OrdersService);
  protected readonly auth = inject(AuthService);
  protected readonly items = signal<Order[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.orders.mine(1, 50);
      this.items.set(page.items);
      this.total.set(page.total);
    } catch (err) {
      this.error.set(apiErrorMessage(err, 'We could not load your orders.'));
    } finally {
      this.loading.set(false);
    }
  }

  protected summary(o: Order): string {
    const first = o.items[0]?.name ?? 'Order';
    return o.items.length > 1 ? `${first} + ${o.items.length - 1} more` : first;
  }
}
