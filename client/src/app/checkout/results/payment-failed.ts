import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { PaymentFailure, paymentFailureCodes, paymentFailureMessage } from '../payment-messages';

/** The attempt failed; the order is still reserved, so Retry pays the same order. */
@Component({
  selector: 'app-payment-failed',
  imports: [RouterLink],
  templateUrl: './payment-failed.html',
  styleUrl: './result-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PaymentFailed {
  readonly failure = input<PaymentFailure | null>(null);
  readonly busy = input(false);
  readonly retry = output<void>();

  protected readonly message = computed(() => paymentFailureMessage(this.failure()));
  protected readonly codes = computed(() => paymentFailureCodes(this.failure()));
}
