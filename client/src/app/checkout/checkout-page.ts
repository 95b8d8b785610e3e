import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { CreateOrderRequest, Order, Product } from '../api/api-types';
import { apiErrorMessage, httpStatus } from '../core/api-error';
import { AuthService } from '../core/auth-service';
import { InrPipe } from '../core/inr-pipe';
import { CartService, clampQty } from '../cart/cart-service';
import { ProductsService } from '../catalog/products-service';
import { OrdersService } from '../orders/orders-service';
import { PurchasesService } from '../account/purchases-service';
import { ProductImage } from '../shared/product-image';
import { CheckoutService, CheckoutUnavailableError } from './checkout-service';
import { indianMobileValidator, normalizeIndianMobile } from './indian-mobile-validator';
import { PaymentFailure } from './payment-messages';
import { failureKey, paymentOutcome } from './payment-outcome';
import { OrderPoller } from './order-poller';
import { newIdempotencyKey } from '../core/idempotency-key';
import { OrderClosed } from './results/order-closed';
import { PaymentConfirming } from './results/payment-confirming';
import { PaymentFailed } from './results/payment-failed';
import { PaymentSuccess } from './results/payment-success';

export interface SummaryLine {
  productId: string;
  name: string;
  imageUrl: string;
  unitPrice: number;
  quantity: number;
}

export type Phase =
  'form' | 'creating' | 'paying' | 'verifying' | 'confirming' | 'success' | 'failed' | 'closed';

@Component({
  selector: 'app-checkout-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    InrPipe,
    ProductImage,
    PaymentSuccess,
    PaymentConfirming,
    PaymentFailed,
    OrderClosed,
  ],
  templateUrl: './checkout-page.html',
  styleUrl: './checkout-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CheckoutPage {
  /** Buy now: ?buy=<productId>&qty=<n> checks out one product without touching the cart. */
  readonly buy = input<string | undefined>();
  readonly qty = input<string | undefined>();

  private readonly fb = inject(NonNullableFormBuilder);
  private readonly cart = inject(CartService);
  private readonly products = inject(ProductsService);
  private readonly orders = inject(OrdersService);
  private readonly checkout = inject(CheckoutService);
  private readonly auth = inject(AuthService);
  private readonly purchases = inject(PurchasesService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    email: ['', [Validators.required, Validators.email, Validators.maxLength(200)]],
    phone: ['', [Validators.required, indianMobileValidator]],
  });

  protected readonly phase = signal<Phase>('form');
  protected readonly submitted = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly failure = signal<PaymentFailure | null>(null);
  /** Confirming, and polling gave up waiting: the page says so calmly and offers Check again. */
  protected readonly stalled = signal(false);
  /** The server's order for the current attempt: reused by Retry and after a dismiss. */
  protected readonly order = signal<Order | null>(null);

  protected readonly buyProduct = signal<Product | null>(null);
  protected readonly buyLoading = signal(false);
  protected readonly buyError = signal<string | null>(null);

  protected readonly busy = computed(() =>
    ['creating', 'paying', 'verifying'].includes(this.phase()),
  );
  protected readonly lines = computed<SummaryLine[]>(() => {
    if (this.buy()) {
      const p = this.buyProduct();
      if (!p) return [];
      return [
        {
          productId: p.id,
          name: p.name,
          imageUrl: p.imageUrl,
          unitPrice: p.price,
          quantity: clampQty(Number(this.qty() ?? 1), p.stock),
        },
      ];
    }
    if (!this.cartKnown()) return [];
    return this.cart.lines().map((l) => ({
      productId: l.productId,
      name: l.name,
      imageUrl: l.imageUrl,
      unitPrice: l.price,
      quantity: l.quantity,
    }));
  });
  protected readonly estimate = computed(() =>
    this.lines().reduce((s, l) => s + l.unitPrice * l.quantity, 0),
  );
  /**
   * Only the browser knows the cart, and only from its second render: the first one draws what
   * the server drew (a form with no cart lines), so hydration keeps the server's page.
   */
  private readonly cartKnown = signal(false);
  protected readonly nothingToBuy = computed(
    () => (this.cartKnown() || !!this.buy()) && !this.buyLoading() && this.lines().length === 0,
  );

  private attemptKey: string | null = null;
  private attemptFingerprint: string | null = null;
  /** When checkout must close for the current order (from checkoutTimeoutSeconds), in ms. */
  private payBy = 0;
  /** Failures already shown or already on the order: a stale one never ends a newer attempt. */
  private readonly knownFailures = new Set<string>();
  private readonly poller = new OrderPoller(this.orders);
  private destroyed = false;

  constructor() {
    afterNextRender(() => this.cartKnown.set(true));
    this.destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.poller.stop();
    });
    effect(() => {
      const id = this.buy();
      untracked(() => {
        if (id) this.loadBuyProduct(id);
      });
    });
    // Prefill from the signed-in account without overwriting what the shopper typed.
    effect(() => {
      const user = this.auth.user();
      if (!user) return;
      untracked(() => {
        const { name, email } = this.form.controls;
        if (!name.value) name.setValue(user.name);
        if (!email.value) email.setValue(user.email);
      });
    });
  }

  protected showError(control: 'name' | 'email' | 'phone'): boolean {
    const c = this.form.controls[control];
    return c.invalid && (c.touched || this.submitted());
  }

  /** Subscribed, not awaited: on a server-rendered page the product arrives in the first render. */
  protected loadBuyProduct(id: string): void {
    this.buyLoading.set(true);
    this.buyError.set(null);
    const request = this.products.get(id).subscribe({
      next: (product) => {
        this.buyProduct.set(product);
        this.buyLoading.set(false);
      },
      error: (err: unknown) => {
        this.buyError.set(
          httpStatus(err) === 404
            ? 'This product is no longer available.'
            : apiErrorMessage(err, 'We could not load this product.'),
        );
        this.buyLoading.set(false);
      },
    });
    this.destroyRef.onDestroy(() => request.unsubscribe());
  }

  /** Pay: validate, create (or reuse) the order, open Razorpay Checkout. */
  protected async pay(): Promise<void> {
    if (this.busy()) return; // a second click while busy never makes a second order
    this.submitted.set(true);
    this.error.set(null);
    this.notice.set(null);
    if (this.form.invalid || this.lines().length === 0) {
      this.form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const request = this.buildRequest();
    const fingerprint = JSON.stringify(request);
    let order = this.order();
    const expired = order !== null && Date.now() >= this.payBy;
    if (
      !order ||
      order.status !== 'pending' ||
      fingerprint !== this.attemptFingerprint ||
      expired
    ) {
      // A changed basket or an order that can no longer be paid needs a new order (and key); after
      // a network error there is no order yet and the same key makes the retry safe.
      if (order || fingerprint !== this.attemptFingerprint) {
        this.attemptKey = null;
        this.order.set(null);
      }
      this.phase.set('creating');
      this.attemptFingerprint = fingerprint;
      this.attemptKey ??= newIdempotencyKey();
      try {
        order = await this.orders.create(request, this.attemptKey);
        this.remember(order);
      } catch (err) {
        const status = httpStatus(err);
        // A definite "no" from the server ends this attempt; a network error keeps the key so a retry is safe.
        if (status !== null && status >= 400 && status < 500) this.attemptKey = null;
        this.phase.set('form');
        this.showFormError(
          status === 409
            ? `${apiErrorMessage(err, 'Some items are no longer in stock.')} Please adjust your order.`
            : apiErrorMessage(err, 'We could not create your order. Please try again.'),
        );
        return;
      }
    }
    await this.openCheckout(order);
  }

  /** Retry after a failed payment: same order, checkout opens again. */
  protected async retry(): Promise<void> {
    const order = this.order();
    if (!order || this.busy()) return;
    this.failure.set(null);
    await this.openCheckout(order);
  }

  /** After an expired order: back to the form; the next Pay places a new order. */
  protected startAgain(): void {
    this.poller.stop();
    this.order.set(null);
    this.attemptKey = null;
    this.attemptFingerprint = null;
    this.failure.set(null);
    this.error.set(null);
    this.notice.set(null);
    this.phase.set('form');
    this.focus('#checkout-title');
  }

  /** Check again, once polling has given up: ask now, then keep polling for another while. */
  protected async checkAgain(): Promise<void> {
    const order = this.order();
    if (!order) return;
    this.stalled.set(false);
    try {
      if (this.show(await this.orders.get(order.id), true)) return;
    } catch {
      /* keep confirming; polling asks again */
    }
    this.startPolling(order.id);
  }

  private async openCheckout(order: Order): Promise<void> {
    const secondsLeft = Math.floor((this.payBy - Date.now()) / 1000);
    if (secondsLeft <= 0) {
      // Razorpay would accept a payment the order can no longer take: do not open it.
      this.showExpired();
      return;
    }
    this.knownFailures.add(failureKey(order.lastPaymentError));
    this.phase.set('paying');
    const { name, email } = this.form.getRawValue();
    const contact =
      normalizeIndianMobile(this.form.controls.phone.value) ?? this.form.controls.phone.value;
    try {
      const result = await this.checkout.open({
        keyId: order.razorpayKeyId,
        razorpayOrderId: order.razorpayOrderId,
        amountPaise: order.amount,
        currency: order.currency,
        orderId: order.id,
        description: order.items.length === 1 ? order.items[0].name : `${order.items.length} items`,
        prefill: { name, email, contact },
        timeoutSeconds: secondsLeft,
      });
      if (this.destroyed) return;
      switch (result.kind) {
        case 'success':
          await this.verify(order, result.response);
          return;
        case 'failed':
          this.knownFailures.add(failureKey(result.error));
          this.failure.set(result.error);
          this.phase.set('failed');
          this.focus('#result-heading');
          return;
        case 'dismissed':
          // Checkout closes itself when the time to pay runs out (its timeout option).
          if (Date.now() >= this.payBy) {
            this.showExpired();
            return;
          }
          this.phase.set('form');
          this.notice.set(
            'Payment window closed. Your order is saved — press Pay whenever you are ready.',
          );
          this.focus('#checkout-notice');
          return;
      }
    } catch (err) {
      this.phase.set('form');
      this.showFormError(
        err instanceof CheckoutUnavailableError
          ? `${err.message} Your order is saved, so nothing is lost.`
          : apiErrorMessage(err, 'The payment window could not be opened.'),
      );
    }
  }

  private async verify(
    order: Order,
    response: {
      razorpay_order_id: string;
      razorpay_payment_id: string;
      razorpay_signature: string;
    },
  ): Promise<void> {
    this.phase.set('verifying');
    let confirmed: Order | null = null;
    try {
      // 200 with the order still pending ("confirming") is normal: the capture may be asynchronous.
      confirmed = await this.orders.verify(response);
    } catch {
      // The server could not confirm it now; a webhook or the reconciler may still settle it.
    }
    if (this.destroyed) return;
    if (confirmed && this.show(confirmed, true)) return;
    this.phase.set('confirming');
    this.stalled.set(false);
    this.focus('#result-heading');
    this.startPolling(order.id);
  }

  /** Shows a final answer (paid, closed, a new failure) and returns true; false while in flight. */
  private show(order: Order, focus: boolean): boolean {
    this.remember(order);
    const outcome = paymentOutcome(order);
    if (outcome === 'pending') return false;
    if (outcome === 'failed') {
      const key = failureKey(order.lastPaymentError);
      if (this.knownFailures.has(key)) return false;
      this.knownFailures.add(key);
    }
    this.poller.stop();
    this.stalled.set(false);
    if (outcome === 'paid') {
      this.phase.set('success');
      if (!this.buy()) this.cart.clear();
      this.purchases.forget();
    } else if (outcome === 'failed') {
      this.failure.set(order.lastPaymentError);
      this.phase.set('failed');
    } else {
      this.phase.set('closed');
    }
    if (focus) this.focus('#result-heading');
    return true;
  }

  private startPolling(orderId: string): void {
    this.poller.start(
      orderId,
      (latest) => this.show(latest, true),
      () => this.stalled.set(true),
    );
  }

  private remember(order: Order): void {
    this.order.set(order);
    this.payBy = Date.now() + order.checkoutTimeoutSeconds * 1000;
  }

  private showExpired(): void {
    this.phase.set('closed');
    this.focus('#result-heading');
  }

  private buildRequest(): CreateOrderRequest {
    const { name, email, phone } = this.form.getRawValue();
    return {
      items: this.lines().map((l) => ({ productId: l.productId, quantity: l.quantity })),
      customer: {
        name: name.trim(),
        email: email.trim(),
        contact: normalizeIndianMobile(phone) ?? phone.trim(),
      },
    };
  }

  private showFormError(message: string): void {
    this.error.set(message);
    this.focus('#checkout-error');
  }

  private focusFirstInvalid(): void {
    const first = (['name', 'email', 'phone'] as const).find((k) => this.form.controls[k].invalid);
    this.focus(first ? `#checkout-${first}` : '#checkout-error');
  }

  private focus(selector: string): void {
    afterNextRender(
      () => (this.host.nativeElement.querySelector(selector) as HTMLElement | null)?.focus(),
      { injector: this.injector },
    );
  }
}
