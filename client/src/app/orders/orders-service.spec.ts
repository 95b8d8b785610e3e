import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { OrdersService } from './orders-service';
import { order } from '../testing/fixtures';

describe('OrdersService', () => {
  let service: OrdersService;
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    service = TestBed.inject(OrdersService);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('creates an order with the Idempotency-Key and keeps the guest token', async () => {
    const body = {
      items: [{ productId: 'p1', quantity: 1 }],
      customer: { name: 'A', email: 'a@b.in', contact: '+919876543210' },
    };
    const created = service.create(body, 'key-1');
    const req = http.expectOne('/api/orders');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Idempotency-Key')).toBe('key-1');
    expect(req.request.body).toEqual(body);
    expect(JSON.stringify(req.request.body)).not.toMatch(/price|amount/);
    req.flush(order(), { status: 201, statusText: 'Created' });
    await created;
    expect(service.tokenFor('o1')).toBe('guest-token-1');
    expect(service.knownOrderIds()).toEqual(['o1']);
  });

  it('sends the stored guest token when reading an order', async () => {
    localStorage.setItem('shop.orderTokens.v1', JSON.stringify({ o1: 'guest-token-1' }));
    const got = service.get('o1');
    const req = http.expectOne('/api/orders/o1');
    expect(req.request.headers.get('X-Order-Token')).toBe('guest-token-1');
    req.flush(order());
    expect((await got).id).toBe('o1');
  });

  it('reads without a guest token when none is stored', () => {
    void service.get('o2');
    const req = http.expectOne('/api/orders/o2');
    expect(req.request.headers.has('X-Order-Token')).toBe(false);
    req.flush(order({ id: 'o2' }));
  });

  it('posts exactly Razorpay’s handler response to verify', async () => {
    const response = {
      razorpay_order_id: 'order_123',
      razorpay_payment_id: 'pay_1',
      razorpay_signature: 'sig',
      extra: 'x',
    };
    const verified = service.verify(response);
    const req = http.expectOne('/api/payments/verify');
    expect(req.request.body).toEqual({
      razorpay_order_id: 'order_123',
      razorpay_payment_id: 'pay_1',
      razorpay_signature: 'sig',
    });
    req.flush(order({ status: 'paid' }));
    expect((await verified).status).toBe('paid');
  });

  it('lists my orders', async () => {
    const mine = service.mine();
    http
      .expectOne((r) => r.url === '/api/me/orders')
      .flush({ items: [order()], total: 1, page: 1, limit: 20 });
    expect((await mine).total).toBe(1);
  });
});
