import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Order } from '../../api/api-types';
import { OrderStatusPipe } from '../../core/order-status-pipe';

/**
 * The order can no longer be paid: it expired or was cancelled on the server, or its time to pay
 * ran out here (checkoutTimeoutSeconds reached 0). Start again places a new order.
 */
@Component({
  selector: 'app-order-closed',
  imports: [RouterLink, OrderStatusPipe],
  templateUrl: './order-closed.html',
  styleUrl: './result-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrderClosed {
  readonly order = input.required<Order>();
  readonly startAgain = output<void>();
}
