import { Injectable, inject } from '@angular/core';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Observable } from 'rxjs';
import { Page, Product, ProductQuery } from '../api/api-types';

@Injectable({ providedIn: 'root' })
export class ProductsService {
  private readonly http = inject(HttpClient);

  /**
   * Observables, subscribed by the pages: on a server-rendered page the answer the server read is
   * delivered at once (Angular's transfer cache), so a page that subscribes during its first
   * render draws exactly what the server drew, and hydration keeps that DOM.
   */
  list(query: ProductQuery = {}): Observable<Page<Product>> {
    let params = new HttpParams().set('page', query.page ?? 1).set('limit', query.limit ?? 12);
    if (query.search?.trim()) params = params.set('search', query.search.trim());
    return this.http.get<Page<Product>>('/api/products', { params });
  }

  get(id: string): Observable<Product> {
    return this.http.get<Product>(`/api/products/${encodeURIComponent(id)}`);
  }
}
