import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Order } from '../../api/api-types';
import { InrPipe } from '../../core/inr-pipe';
import { OrderStatusPipe } from '../../core/order-status-pipe';

/** The server says the order is paid. */
@Component({
  selector: 'app-payment-success',
  imports: [RouterLink, InrPipe, OrderStatusPipe],
  templateUrl: './payment-success.html',
  styleUrl: './result-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PaymentSuccess {
  readonly order = input.required<Order>();
}
