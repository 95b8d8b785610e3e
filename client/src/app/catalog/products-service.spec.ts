import { firstValueFrom } from 'rxjs';
import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ProductsService } from './products-service';
import { product } from '../testing/fixtures';

describe('ProductsService', () => {
  let service: ProductsService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    service = TestBed.inject(ProductsService);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('lists with paging and search', async () => {
    const result = firstValueFrom(service.list({ page: 2, limit: 12, search: ' chai ' }));
    const req = http.expectOne((r) => r.url === '/api/products');
    expect(req.request.params.get('page')).toBe('2');
    expect(req.request.params.get('limit')).toBe('12');
    expect(req.request.params.get('search')).toBe('chai');
    req.flush({ items: [product()], total: 1, page: 2, limit: 12 });
    expect((await result).items[0].name).toBe('Cotton Kurta');
  });

  it('omits an empty search', () => {
    void firstValueFrom(service.list({}));
    const req = http.expectOne((r) => r.url === '/api/products');
    expect(req.request.params.has('search')).toBe(false);
    req.flush({ items: [], total: 0, page: 1, limit: 12 });
  });

  it('gets one product', async () => {
    const p = firstValueFrom(service.get('p1'));
    http.expectOne('/api/products/p1').flush(product());
    expect((await p).id).toBe('p1');
  });
});
