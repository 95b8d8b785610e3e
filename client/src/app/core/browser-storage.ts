import { Injectable, PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';

/** localStorage that never throws (private mode, quota, SSR). */
@Injectable({ providedIn: 'root' })
export class BrowserStorage {
  private readonly storage: Storage | null = isPlatformBrowser(inject(PLATFORM_ID))
    ? safeLocalStorage()
    : null;

  get<T>(key: string): T | null {
    try {
      const raw = this.storage?.getItem(key);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown): void {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or unavailable: the app keeps working in memory */
    }
  }

  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      /* ignore */
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
