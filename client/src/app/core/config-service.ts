import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { ShopConfig } from '../api/api-types';

/** GET /api/config, fetched once; a failed fetch is forgotten so the next call retries. */
@Injectable({ providedIn: 'root' })
export class ConfigService {
  private readonly http = inject(HttpClient);
  private cached?: Promise<ShopConfig>;

  load(): Promise<ShopConfig> {
    return (this.cached ??= firstValueFrom(this.http.get<ShopConfig>('/api/config')).catch(
      (err: unknown) => {
        this.cached = undefined;
        throw err;
      },
    ));
  }
}
