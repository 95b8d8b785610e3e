import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { CartService } from './cart/cart-service';
import { product, settle } from './testing/fixtures';

describe('App shell', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
  });

  it('has a skip link, main landmark and a cart link that counts items', async () => {
    const fixture = TestBed.createComponent(App);
    TestBed.inject(CartService).add(product(), 2);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    expect(el.querySelector('main#main')).not.toBeNull();
    expect(el.querySelector('a.cart-link')?.getAttribute('aria-label')).toBe('Cart, 2 items');
    expect(el.textContent).toContain('Sign in');
    TestBed.inject(HttpTestingController).verify();
  });
});
