import { TestBed } from '@angular/core/testing';
import { PLATFORM_ID } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { CheckoutOrder, CheckoutService, CheckoutUnavailableError } from './checkout-service';
import { FakeRazorpay } from '../testing/fake-razorpay';

const CONFIG = {
  razorpayKeyId: 'rzp_test_key',
  checkoutScriptUrl: '/sandbox/razorpay/checkout.js',
  currency: 'INR',
  mode: 'sandbox',
};
const ORDER: CheckoutOrder = {
  keyId: 'rzp_test_key',
  razorpayOrderId: 'order_123',
  amountPaise: 129900,
  currency: 'INR',
  description: 'Cotton Kurta',
  orderId: 'o1',
  prefill: { name: 'Asha', email: 'asha@example.com', contact: '+919876543210' },
};

function scripts(): HTMLScriptElement[] {
  return Array.from(document.querySelectorAll<HTMLScriptElement>('script[src*="checkout.js"]'));
}

describe('CheckoutService', () => {
  let service: CheckoutService;
  let http: HttpTestingController;

  beforeEach(() => {
    FakeRazorpay.uninstall();
    scripts().forEach((s) => s.remove());
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    service = TestBed.inject(CheckoutService);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    http.verify();
    FakeRazorpay.uninstall();
  });

  /** Answers GET /api/config and fires the script's load event after installing the fake. */
  async function loadScript(outcome: 'load' | 'error' = 'load'): Promise<void> {
    await vi.waitFor(() => http.expectOne('/api/config').flush(CONFIG));
    await vi.waitFor(() => expect(scripts().length).toBe(1));
    const script = scripts()[0];
    expect(script.getAttribute('src')).toBe('/sandbox/razorpay/checkout.js');
    if (outcome === 'load') {
      FakeRazorpay.install();
      script.dispatchEvent(new Event('load'));
    } else {
      script.dispatchEvent(new Event('error'));
    }
  }

  it('loads checkout.js from /api/config once and resolves success with the handler response', async () => {
    const result = service.open(ORDER);
    await loadScript();
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    const rzp = FakeRazorpay.last;
    expect(rzp.options).toMatchObject({
      key: 'rzp_test_key',
      order_id: 'order_123',
      amount: 129900,
      currency: 'INR',
      prefill: ORDER.prefill,
      notes: { shop_order_id: 'o1' },
    });
    rzp.succeed();
    await expect(result).resolves.toEqual({
      kind: 'success',
      response: {
        razorpay_order_id: 'order_123',
        razorpay_payment_id: 'pay_test_1',
        razorpay_signature: 'sig_test_1',
      },
    });

    // A second payment does not load the script again.
    const second = service.open(ORDER);
    await vi.waitFor(() => expect(FakeRazorpay.instances.length).toBe(2));
    FakeRazorpay.last.dismiss();
    await expect(second).resolves.toEqual({ kind: 'dismissed' });
    expect(scripts().length).toBe(1);
  });

  it('passes the seconds left to pay as Razorpay’s timeout, and omits it when unknown', async () => {
    const withTimeout = service.open({ ...ORDER, timeoutSeconds: 1740 });
    await loadScript();
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    expect(FakeRazorpay.last.options.timeout).toBe(1740);
    FakeRazorpay.last.dismiss();
    await withTimeout;

    const without = service.open(ORDER);
    await vi.waitFor(() => expect(FakeRazorpay.instances.length).toBe(2));
    expect('timeout' in FakeRazorpay.last.options).toBe(false);
    FakeRazorpay.last.dismiss();
    await without;
  });

  it('turns payment.failed into a failed result and closes the modal', async () => {
    const result = service.open(ORDER);
    await loadScript();
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    FakeRazorpay.last.fail('Your card was declined', 'card_declined');
    const r = await result;
    expect(r.kind).toBe('failed');
    if (r.kind === 'failed') {
      expect(r.error.description).toBe('Your card was declined');
      expect(r.error.reason).toBe('card_declined');
    }
    expect(FakeRazorpay.last.closed).toBe(true);
  });

  it('settles once: a dismiss after failure is ignored', async () => {
    const result = service.open(ORDER);
    await loadScript();
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    FakeRazorpay.last.fail();
    FakeRazorpay.last.dismiss();
    expect((await result).kind).toBe('failed');
  });

  it('reports a script that cannot load and retries the load next time', async () => {
    const first = service.open(ORDER);
    await loadScript('error');
    await expect(first).rejects.toBeInstanceOf(CheckoutUnavailableError);
    expect(scripts().length).toBe(0);

    const second = service.open(ORDER);
    // config is cached; only the script is requested again
    await vi.waitFor(() => expect(scripts().length).toBe(1));
    FakeRazorpay.install();
    scripts()[0].dispatchEvent(new Event('load'));
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    FakeRazorpay.last.dismiss();
    await expect(second).resolves.toEqual({ kind: 'dismissed' });
  });

  it('retries /api/config after it fails', async () => {
    const first = service.open(ORDER);
    await vi.waitFor(() =>
      http
        .expectOne('/api/config')
        .flush(
          { statusCode: 503, error: 'Service Unavailable', message: 'down' },
          { status: 503, statusText: 'Service Unavailable' },
        ),
    );
    await expect(first).rejects.toBeInstanceOf(CheckoutUnavailableError);
    const second = service.open(ORDER);
    await loadScript();
    await vi.waitFor(() => expect(FakeRazorpay.last?.opened).toBe(true));
    FakeRazorpay.last.dismiss();
    await expect(second).resolves.toEqual({ kind: 'dismissed' });
  });
});

describe('CheckoutService on the server', () => {
  it('refuses to load checkout.js outside the browser', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PLATFORM_ID, useValue: 'server' },
      ],
    });
    await expect(TestBed.inject(CheckoutService).open(ORDER)).rejects.toBeInstanceOf(
      CheckoutUnavailableError,
    );
  });
});
