import { TestBed, ComponentFixture } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { CheckoutPage } from './checkout-page';
import { POLL_TIMEOUT_MS } from './order-poller';
import { CheckoutResult, CheckoutService, CheckoutUnavailableError } from './checkout-service';
import { CartService } from '../cart/cart-service';
import { order, product, settle } from '../testing/fixtures';

/** Controls what the (mocked) Razorpay modal reports for each open(). */
class CheckoutStub {
  calls: Parameters<CheckoutService['open']>[0][] = [];
  private resolvers: ((r: CheckoutResult) => void)[] = [];
  private rejecters: ((e: unknown) => void)[] = [];
  open = vi.fn((o: Parameters<CheckoutService['open']>[0]) => {
    this.calls.push(o);
    return new Promise<CheckoutResult>((resolve, reject) => {
      this.resolvers.push(resolve);
      this.rejecters.push(reject);
    });
  });
  settle(r: CheckoutResult): void {
    this.resolvers.shift()?.(r);
    this.rejecters.shift();
  }
  crash(e: unknown): void {
    this.resolvers.shift();
    this.rejecters.shift()?.(e);
  }
}

describe('CheckoutPage', () => {
  let fixture: ComponentFixture<CheckoutPage>;
  let http: HttpTestingController;
  let checkout: CheckoutStub;
  let el: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    checkout = new CheckoutStub();
    TestBed.configureTestingModule({
      imports: [CheckoutPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: CheckoutService, useValue: checkout },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(CartService).add(product(), 2);
    fixture = TestBed.createComponent(CheckoutPage);
    el = fixture.nativeElement;
    await settle(fixture);
  });
  afterEach(() => http.verify());

  const text = () => el.textContent?.replace(/\s+/g, ' ') ?? '';
  const button = (name: string) =>
    Array.from(el.querySelectorAll('button')).find(
      (b) => b.textContent?.replace(/₹[\d,.]+/, '').trim() === name,
    ) as HTMLButtonElement;

  function fill(name = 'Asha Rao', email = 'asha@example.com', phone = '+91 98765 43210'): void {
    for (const [id, value] of [
      ['checkout-name', name],
      ['checkout-email', email],
      ['checkout-phone', phone],
    ]) {
      const input = el.querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
  }

  it('labels the fields Name, Email and Phone and shows the cart summary', () => {
    expect(el.querySelector('label[for="checkout-name"]')?.textContent?.trim()).toBe('Name');
    expect(el.querySelector('label[for="checkout-email"]')?.textContent?.trim()).toBe('Email');
    expect(el.querySelector('label[for="checkout-phone"]')?.textContent?.trim()).toBe('Phone');
    expect(text()).toContain('Cotton Kurta');
    expect(text()).toContain('₹2,598.00');
  });

  it('validates before creating any order', async () => {
    fill('', 'not-an-email', '12345');
    button('Pay').click();
    await settle(fixture);
    expect(text()).toContain('Enter a valid email address');
    expect(text()).toContain('Enter a 10-digit Indian mobile number');
    http.expectNone('/api/orders');
  });

  it('Pay makes one order for a double click, then success → verify → Payment successful / Paid', async () => {
    fill();
    button('Pay').click();
    button('Pay').click();
    await settle(fixture);
    const reqs = http.match('/api/orders');
    expect(reqs.length).toBe(1);
    const req = reqs[0];
    expect(req.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.request.body).toEqual({
      items: [{ productId: 'p1', quantity: 2 }],
      customer: { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' },
    });
    expect(button('Pay').disabled).toBe(true);
    req.flush(order({ amount: 259800 }), { status: 201, statusText: 'Created' });
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
    expect(checkout.calls[0]).toMatchObject({
      razorpayOrderId: 'order_123',
      keyId: 'rzp_test_key',
      amountPaise: 259800,
    });

    checkout.settle({
      kind: 'success',
      response: {
        razorpay_order_id: 'order_123',
        razorpay_payment_id: 'pay_1',
        razorpay_signature: 'sig',
      },
    });
    await vi.waitFor(() =>
      http
        .expectOne('/api/payments/verify')
        .flush(order({ status: 'paid', paidAt: '2026-01-01T00:01:00Z' })),
    );
    await settle(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('Payment successful');
    expect(el.querySelector('[data-testid="order-status"]')?.textContent?.trim()).toBe('Paid');
    expect(el.querySelector('[data-testid="order-reference"]')?.textContent?.trim()).toBe('o1');
    expect(TestBed.inject(CartService).empty()).toBe(true);
  });

  it('does not claim success while the server still says pending; polls until paid', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      fill();
      button('Pay').click();
      await vi.waitFor(() => http.expectOne('/api/orders').flush(order()));
      await vi.waitFor(() => expect(checkout.open).toHaveBeenCalled());
      checkout.settle({
        kind: 'success',
        response: {
          razorpay_order_id: 'order_123',
          razorpay_payment_id: 'pay_1',
          razorpay_signature: 'sig',
        },
      });
      await vi.waitFor(() => http.expectOne('/api/payments/verify').flush(order()));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(text()).toContain('Confirming your payment');
      expect(text()).not.toContain('Payment successful');
      await vi.advanceTimersByTimeAsync(1600);
      http.expectOne('/api/orders/o1').flush(order({ status: 'paid' }));
      await vi.advanceTimersByTimeAsync(10);
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Payment successful');
    } finally {
      vi.useRealTimers();
    }
  });

  it('failure shows Payment failed with the reason, and Retry reopens the same order', async () => {
    fill();
    button('Pay').click();
    await vi.waitFor(() => http.expectOne('/api/orders').flush(order()));
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
    checkout.settle({
      kind: 'failed',
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Your card was declined',
        reason: 'card_declined',
      },
    });
    await settle(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('Payment failed');
    expect(el.querySelector('[data-testid="failure-reason"]')?.textContent?.trim()).toBe(
      'Your bank declined this card. Try another card, or pay with UPI or netbanking.',
    );
    // The codes are for support: inside a collapsed <details>, not in the sentence.
    const details = el.querySelector<HTMLDetailsElement>('[data-testid="failure-details"]')!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('card_declined · BAD_REQUEST_ERROR');
    expect(el.querySelector('.lead')?.textContent).not.toContain('BAD_REQUEST_ERROR');
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('result-heading'));

    button('Retry').click();
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(2));
    expect(checkout.calls[1].razorpayOrderId).toBe('order_123');
    http.expectNone('/api/orders');
    checkout.settle({
      kind: 'success',
      response: {
        razorpay_order_id: 'order_123',
        razorpay_payment_id: 'pay_2',
        razorpay_signature: 'sig',
      },
    });
    await vi.waitFor(() => http.expectOne('/api/payments/verify').flush(order({ status: 'paid' })));
    await settle(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('Payment successful');
  });

  const handlerResponse = {
    razorpay_order_id: 'order_123',
    razorpay_payment_id: 'pay_1',
    razorpay_signature: 'sig',
  };

  async function payAndSucceed(created = order()): Promise<void> {
    fill();
    button('Pay').click();
    await vi.waitFor(() => http.expectOne('/api/orders').flush(created));
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalled());
    checkout.settle({ kind: 'success', response: handlerResponse });
  }

  it('passes checkoutTimeoutSeconds to checkout as its timeout', async () => {
    fill();
    button('Pay').click();
    await vi.waitFor(() =>
      http.expectOne('/api/orders').flush(order({ checkoutTimeoutSeconds: 600 })),
    );
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
    expect(checkout.calls[0].timeoutSeconds).toBeGreaterThan(595);
    expect(checkout.calls[0].timeoutSeconds).toBeLessThanOrEqual(600);
    checkout.settle({ kind: 'dismissed' });
  });

  it('does not open checkout for an order with no time left; Start again places a new order', async () => {
    fill();
    button('Pay').click();
    const first = await vi.waitFor(() => http.expectOne('/api/orders'));
    const firstKey = first.request.headers.get('Idempotency-Key');
    first.flush(order({ checkoutTimeoutSeconds: 0 }));
    await settle(fixture);
    expect(checkout.open).not.toHaveBeenCalled();
    expect(el.querySelector('h1')?.textContent).toBe('This order has expired');
    expect(text()).not.toContain('Payment failed');

    button('Start again').click();
    await settle(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('Checkout');
    button('Pay').click();
    const second = await vi.waitFor(() => http.expectOne('/api/orders'));
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(firstKey);
    second.flush(order({ id: 'o2', razorpayOrderId: 'order_456' }));
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
    expect(checkout.calls[0].razorpayOrderId).toBe('order_456');
    checkout.settle({ kind: 'dismissed' });
  });

  it('treats verify answering 200 "confirming" calmly and polls with backoff until paid', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await payAndSucceed();
      const confirming = order({ paymentState: 'confirming' });
      await vi.waitFor(() => http.expectOne('/api/payments/verify').flush(confirming));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Confirming your payment…');
      expect(text()).not.toMatch(/failed|error/i);

      // Each poll waits longer than the one before (1 s, 1.5 s, 2.25 s, …).
      const start = Date.now();
      const times: number[] = [];
      for (let t = 0; t < 6000; t += 100) {
        await vi.advanceTimersByTimeAsync(100);
        for (const req of http.match('/api/orders/o1')) {
          times.push(Date.now() - start);
          req.flush(confirming);
        }
      }
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times[0]).toBeLessThanOrEqual(1100);
      const gaps = times.slice(1).map((t, k) => t - times[k]);
      expect(gaps[1]).toBeGreaterThan(gaps[0]);
      expect(text()).not.toMatch(/failed|error/i);
      await vi.advanceTimersByTimeAsync(8000);
      http.expectOne('/api/orders/o1').flush(order({ status: 'paid', paymentState: 'settled' }));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Payment successful');
    } finally {
      vi.useRealTimers();
    }
  });

  it('never shows an earlier failure as the result of a payment still being confirmed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const earlier = {
        code: 'BAD_REQUEST_ERROR',
        description: 'Declined',
        reason: 'card_declined',
      };
      fill();
      button('Pay').click();
      await vi.waitFor(() => http.expectOne('/api/orders').flush(order()));
      await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
      checkout.settle({ kind: 'failed', error: earlier });
      await vi.advanceTimersByTimeAsync(1);
      button('Retry').click();
      await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(2));
      checkout.settle({ kind: 'success', response: handlerResponse });
      // Verify could not be answered; the order still carries the first attempt's failure.
      await vi.waitFor(() =>
        http
          .expectOne('/api/payments/verify')
          .flush(
            { statusCode: 502, error: 'Bad Gateway', message: 'Razorpay is unavailable' },
            { status: 502, statusText: 'Bad Gateway' },
          ),
      );
      await vi.advanceTimersByTimeAsync(1000);
      http
        .expectOne('/api/orders/o1')
        .flush(order({ paymentState: 'failed', lastPaymentError: earlier }));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Confirming your payment…');

      // A different failure, reported by the server while polling, is this attempt's answer.
      const now = {
        code: 'BAD_REQUEST_ERROR',
        description: 'Low balance',
        reason: 'insufficient_funds',
      };
      await vi.advanceTimersByTimeAsync(1500);
      http
        .expectOne('/api/orders/o1')
        .flush(order({ paymentState: 'failed', lastPaymentError: now }));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Payment failed');
      expect(text()).toContain('There isn’t enough balance in the account');
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops polling after its limit, says so calmly, and Check again asks the server', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await payAndSucceed();
      const confirming = order({ paymentState: 'confirming' });
      await vi.waitFor(() => http.expectOne('/api/payments/verify').flush(confirming));
      let polls = 0;
      for (let t = 0; t < POLL_TIMEOUT_MS + 10_000; t += 500) {
        await vi.advanceTimersByTimeAsync(500);
        for (const req of http.match('/api/orders/o1')) {
          polls++;
          req.flush(confirming);
        }
      }
      // Backoff: far fewer requests than one a second, and none after the limit.
      expect(polls).toBeGreaterThan(5);
      expect(polls).toBeLessThan(30);
      await vi.advanceTimersByTimeAsync(30_000);
      http.expectNone('/api/orders/o1');
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('We are still confirming your payment');
      expect(text()).not.toMatch(/failed/i);

      button('Check again').click();
      await vi.advanceTimersByTimeAsync(1);
      http.expectOne('/api/orders/o1').flush(order({ status: 'paid', paymentState: 'settled' }));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(el.querySelector('h1')?.textContent).toBe('Payment successful');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows an order that expired while being paid as expired, with Start again', async () => {
    await payAndSucceed();
    await vi.waitFor(() =>
      http
        .expectOne('/api/payments/verify')
        .flush(order({ status: 'expired', paymentState: 'closed' })),
    );
    await settle(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('This order has expired');
    expect(button('Start again')).toBeTruthy();
  });

  it('dismiss returns to the form with a calm message; Pay reuses the same order', async () => {
    fill();
    button('Pay').click();
    await vi.waitFor(() => http.expectOne('/api/orders').flush(order()));
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(1));
    checkout.settle({ kind: 'dismissed' });
    await settle(fixture);
    expect(el.querySelector('#checkout-notice')?.textContent).toContain('Your order is saved');
    expect(button('Pay').disabled).toBe(false);

    button('Pay').click();
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalledTimes(2));
    http.expectNone('/api/orders');
    checkout.settle({ kind: 'dismissed' });
  });

  it('explains a checkout script that cannot load instead of leaving a dead button', async () => {
    fill();
    button('Pay').click();
    await vi.waitFor(() => http.expectOne('/api/orders').flush(order()));
    await vi.waitFor(() => expect(checkout.open).toHaveBeenCalled());
    checkout.crash(new CheckoutUnavailableError());
    await settle(fixture);
    expect(el.querySelector('#checkout-error')?.textContent).toContain('could not be loaded');
    expect(button('Pay').disabled).toBe(false);
  });

  it('shows the server’s out-of-stock answer and starts a fresh attempt next time', async () => {
    fill();
    button('Pay').click();
    await vi.waitFor(() => {
      const req = http.expectOne('/api/orders');
      req.flush(
        { statusCode: 409, error: 'Conflict', message: 'Not enough stock for Cotton Kurta' },
        { status: 409, statusText: 'Conflict' },
      );
    });
    await settle(fixture);
    expect(el.querySelector('#checkout-error')?.textContent).toContain(
      'Not enough stock for Cotton Kurta',
    );
  });
});

describe('CheckoutPage — Buy now', () => {
  it('checks out the one product from ?buy= without the cart', async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [CheckoutPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: CheckoutService, useValue: new CheckoutStub() },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(CheckoutPage);
    fixture.componentRef.setInput('buy', 'p2');
    fixture.componentRef.setInput('qty', '1');
    await settle(fixture);
    http
      .expectOne('/api/products/p2')
      .flush(product({ id: 'p2', name: 'Masala Chai', price: 34900 }));
    await settle(fixture);
    const text = (fixture.nativeElement as HTMLElement).textContent ?? '';
    expect(text).toContain('Masala Chai');
    expect(text).toContain('₹349.00');
    http.verify();
  });
});
