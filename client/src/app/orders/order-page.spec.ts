import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { OrderPage } from './order-page';
import { order, settle } from '../testing/fixtures';

describe('OrderPage', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [OrderPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('shows a guest their order with items, amount, status and history', async () => {
    localStorage.setItem('shop.orderTokens.v1', JSON.stringify({ o1: 'guest-token-1' }));
    const fixture = TestBed.createComponent(OrderPage);
    fixture.componentRef.setInput('id', 'o1');
    await settle(fixture);
    const req = http.expectOne('/api/orders/o1');
    expect(req.request.headers.get('X-Order-Token')).toBe('guest-token-1');
    req.flush(
      order({
        status: 'paid',
        paidAt: '2026-01-01T00:01:00Z',
        history: [
          { status: 'pending', at: '2026-01-01T00:00:00Z', source: 'checkout' },
          { status: 'paid', at: '2026-01-01T00:01:00Z', source: 'webhook' },
        ],
      }),
    );
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="order-status"]')?.textContent?.trim()).toBe('Paid');
    expect(el.querySelector('[data-testid="order-amount"]')?.textContent?.trim()).toBe('₹1,299.00');
    expect(el.textContent).toContain('Cotton Kurta');
    expect(el.querySelectorAll('.history li').length).toBe(2);
    expect(el.textContent).toContain('via webhook');
  });

  it('opens a guest order from the link in its mail (?token=) and shows its order number', async () => {
    const fixture = TestBed.createComponent(OrderPage);
    fixture.componentRef.setInput('id', 'o1');
    fixture.componentRef.setInput('token', 'mailed-token-1');
    await settle(fixture);
    const req = http.expectOne('/api/orders/o1');
    expect(req.request.headers.get('X-Order-Token')).toBe('mailed-token-1');
    req.flush(order({ orderNumber: 'DK-000042' }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="order-ref"]')?.textContent?.trim()).toBe('DK-000042');
    expect(JSON.parse(localStorage.getItem('shop.orderTokens.v1') ?? '{}')).toEqual({
      o1: 'mailed-token-1',
    });
  });

  it('says a payment being confirmed is being confirmed, and a failed attempt in plain words', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fixture = TestBed.createComponent(OrderPage);
      fixture.componentRef.setInput('id', 'o1');
      await vi.advanceTimersByTimeAsync(1);
      http.expectOne('/api/orders/o1').flush(order({ paymentState: 'confirming' }));
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      const el = fixture.nativeElement as HTMLElement;
      const status = () => el.querySelector('[data-testid="order-status"]')?.textContent?.trim();
      const note = () => el.querySelector('[data-testid="payment-note"]')?.textContent ?? '';
      expect(status()).toBe('Confirming payment');
      expect(note()).toContain('confirming your payment');

      await vi.advanceTimersByTimeAsync(3000);
      http.expectOne('/api/orders/o1').flush(
        order({
          paymentState: 'failed',
          lastPaymentError: {
            code: 'BAD_REQUEST_ERROR',
            description: 'x',
            reason: 'payment_timed_out',
          },
        }),
      );
      await vi.advanceTimersByTimeAsync(1);
      await fixture.whenStable();
      expect(status()).toBe('Awaiting payment');
      expect(note()).toContain('The payment took too long and timed out.');
      expect(note()).not.toContain('payment_timed_out');
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says "Order not found" for a 404 (someone else’s order)', async () => {
    const fixture = TestBed.createComponent(OrderPage);
    fixture.componentRef.setInput('id', 'o9');
    await settle(fixture);
    http
      .expectOne('/api/orders/o9')
      .flush(
        { statusCode: 404, error: 'Not Found', message: 'Order not found' },
        { status: 404, statusText: 'Not Found' },
      );
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).querySelector('h1')?.textContent).toBe(
      'Order not found',
    );
  });
});
