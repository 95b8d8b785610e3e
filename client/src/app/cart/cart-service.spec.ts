import { TestBed } from '@angular/core/testing';
import { CART_KEY, CartService } from './cart-service';
import { product } from '../testing/fixtures';

describe('CartService', () => {
  beforeEach(() => localStorage.clear());

  function create(): CartService {
    TestBed.configureTestingModule({});
    return TestBed.inject(CartService);
  }

  it('adds products, merges repeats and totals in paise', () => {
    const cart = create();
    cart.add(product());
    cart.add(product());
    cart.add(product({ id: 'p2', name: 'Masala Chai', price: 34900 }), 3);
    expect(cart.lines().map((l) => [l.productId, l.quantity])).toEqual([
      ['p1', 2],
      ['p2', 3],
    ]);
    expect(cart.count()).toBe(5);
    expect(cart.subtotal()).toBe(2 * 129900 + 3 * 34900);
  });

  it('never exceeds stock and removes at zero', () => {
    const cart = create();
    cart.add(product({ stock: 2 }), 5);
    expect(cart.lines()[0].quantity).toBe(2);
    cart.setQuantity('p1', 0);
    expect(cart.empty()).toBe(true);
  });

  it('persists across reloads', () => {
    const cart = create();
    cart.add(product(), 2);
    TestBed.tick();
    expect(JSON.parse(localStorage.getItem(CART_KEY)!)[0].quantity).toBe(2);

    TestBed.resetTestingModule();
    const again = create();
    expect(again.count()).toBe(2);
  });

  it('ignores corrupt storage', () => {
    localStorage.setItem(CART_KEY, '{"nope":1}');
    expect(create().empty()).toBe(true);
  });
});
