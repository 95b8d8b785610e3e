import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Order } from '../../api/api-types';

/**
 * Razorpay has the payment but its capture is not confirmed yet (or our check could not finish):
 * the page keeps asking the server. Never "failed" — the money may well be on its way.
 */
@Component({
  selector: 'app-payment-confirming',
  imports: [RouterLink],
  templateUrl: './payment-confirming.html',
  styleUrl: './result-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PaymentConfirming {
  readonly order = input<Order | null>(null);
  /** Polling reached its limit without an answer: say so, and let the shopper ask again. */
  readonly stalled = input(false);
  readonly checkAgain = output<void>();
}
