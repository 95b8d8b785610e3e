import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { CatalogPage } from './catalog-page';
import { CartService } from '../cart/cart-service';
import { product, settle } from '../testing/fixtures';

describe('CatalogPage', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [CatalogPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  async function render() {
    const fixture = TestBed.createComponent(CatalogPage);
    await settle(fixture);
    http
      .expectOne((r) => r.url === '/api/products')
      .flush({
        items: [product(), product({ id: 'p2', name: 'Brass Diya', price: 59900, stock: 0 })],
        total: 20,
        page: 1,
        limit: 12,
      });
    await settle(fixture);
    return fixture;
  }

  it('renders an article per product with INR price, Buy now and Add to cart', async () => {
    const fixture = await render();
    const articles = (fixture.nativeElement as HTMLElement).querySelectorAll('article');
    expect(articles.length).toBe(2);
    const [kurta, diya] = Array.from(articles);
    expect(kurta.textContent).toContain('Cotton Kurta');
    expect(kurta.textContent).toContain('₹1,299.00');
    const buttons = Array.from(kurta.querySelectorAll('button')).map((b) => b.textContent?.trim());
    expect(buttons).toEqual(['Buy now', 'Add to cart']);
    expect(diya.textContent).toContain('Out of stock');
    expect(Array.from(diya.querySelectorAll('button')).every((b) => b.disabled)).toBe(true);
    expect(kurta.querySelector('img')?.getAttribute('src')).toBe(
      '/images/products/cotton-kurta.svg',
    );
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Page 1 of 2');
  });

  it('adds to the cart and sends Buy now to checkout', async () => {
    const fixture = await render();
    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const kurta = (fixture.nativeElement as HTMLElement).querySelector('article')!;
    const [buyNow, addToCart] = Array.from(kurta.querySelectorAll('button'));
    addToCart.click();
    expect(TestBed.inject(CartService).count()).toBe(1);
    buyNow.click();
    expect(navigate).toHaveBeenCalledWith(['/checkout'], { queryParams: { buy: 'p1', qty: 1 } });
  });

  it('shows an error with a retry', async () => {
    const fixture = TestBed.createComponent(CatalogPage);
    await settle(fixture);
    http
      .expectOne((r) => r.url === '/api/products')
      .flush(null, { status: 0, statusText: 'Unknown Error' });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('could not reach the shop');
    el.querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    http
      .expectOne((r) => r.url === '/api/products')
      .flush({ items: [], total: 0, page: 1, limit: 12 });
    await settle(fixture);
    expect(el.textContent).toContain('No products found');
  });
});
