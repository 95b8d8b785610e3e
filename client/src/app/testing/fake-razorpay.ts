import { RazorpayFailure, RazorpayOptions, RazorpaySuccess } from '../checkout/razorpay';

/** A stand-in for checkout.js's window.Razorpay that tests drive by hand. */
export class FakeRazorpay {
  static instances: FakeRazorpay[] = [];
  static get last(): FakeRazorpay {
    return FakeRazorpay.instances[FakeRazorpay.instances.length - 1];
  }
  opened = false;
  closed = false;
  private failedHandlers: ((r: RazorpayFailure) => void)[] = [];

  constructor(readonly options: RazorpayOptions) {
    FakeRazorpay.instances.push(this);
  }
  open(): void {
    this.opened = true;
  }
  close(): void {
    this.closed = true;
  }
  on(event: string, cb: (r: RazorpayFailure) => void): void {
    if (event === 'payment.failed') this.failedHandlers.push(cb);
  }

  succeed(response: Partial<RazorpaySuccess> = {}): void {
    this.options.handler({
      razorpay_order_id: this.options.order_id,
      razorpay_payment_id: 'pay_test_1',
      razorpay_signature: 'sig_test_1',
      ...response,
    });
  }
  fail(description = 'Payment declined by bank', reason = 'payment_failed'): void {
    for (const cb of this.failedHandlers) {
      cb({
        error: {
          code: 'BAD_REQUEST_ERROR',
          description,
          source: 'bank',
          step: 'payment_authorization',
          reason,
          metadata: { order_id: this.options.order_id, payment_id: 'pay_failed_1' },
        },
      });
    }
  }
  dismiss(): void {
    this.options.modal?.ondismiss?.();
  }

  static install(): void {
    FakeRazorpay.instances = [];
    (window as unknown as { Razorpay?: unknown }).Razorpay = FakeRazorpay;
  }
  static uninstall(): void {
    delete (window as unknown as { Razorpay?: unknown }).Razorpay;
    FakeRazorpay.instances = [];
  }
}
