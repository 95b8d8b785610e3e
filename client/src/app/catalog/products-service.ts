import { Injectable, inject } from '@angular/core';
import { HttpClient, HttpParams } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { Page, Product, ProductQuery } from '../api/api-types';

@Injectable({ providedIn: 'root' })
export class ProductsService {
  private readonly http = inject(HttpClient);

  list(query: ProductQuery = {}): Promise<Page<Product>> {
    let params = new HttpParams().set('page', query.page ?? 1).set('limit', query.limit ?? 12);
    if (query.search?.trim()) params = params.set('search', query.search.trim());
    return firstValueFrom(this.http.get<Page<Product>>('/api/products', { params }));
  }

  get(id: string): Promise<Product> {
    return firstValueFrom(this.http.get<Product>(`/api/products/${encodeURIComponent(id)}`));
  }
}
