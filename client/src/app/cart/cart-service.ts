import { Injectable, computed, effect, inject, signal } from '@angular/core';
import { Product } from '../api/api-types';
import { BrowserStorage } from '../core/browser-storage';

export interface CartLine {
  productId: string;
  name: string;
  /** display only, paise; the server prices the order */
  price: number;
  imageUrl: string;
  stock: number;
  quantity: number;
}

export const CART_KEY = 'shop.cart.v1';
export const MAX_QTY = 10;

@Injectable({ providedIn: 'root' })
export class CartService {
  private readonly storage = inject(BrowserStorage);
  private readonly linesSignal = signal<CartLine[]>(sanitize(this.storage.get<unknown>(CART_KEY)));

  readonly lines = this.linesSignal.asReadonly();
  readonly count = computed(() => this.linesSignal().reduce((n, l) => n + l.quantity, 0));
  readonly subtotal = computed(() =>
    this.linesSignal().reduce((s, l) => s + l.price * l.quantity, 0),
  );
  readonly empty = computed(() => this.linesSignal().length === 0);

  constructor() {
    effect(() => this.storage.set(CART_KEY, this.linesSignal()));
  }

  add(product: Product, quantity = 1): void {
    this.linesSignal.update((lines) => {
      const existing = lines.find((l) => l.productId === product.id);
      if (existing) {
        return lines.map((l) =>
          l.productId === product.id
            ? {
                ...l,
                ...snapshot(product),
                quantity: clampQty(l.quantity + quantity, product.stock),
              }
            : l,
        );
      }
      return [...lines, { ...snapshot(product), quantity: clampQty(quantity, product.stock) }];
    });
  }

  setQuantity(productId: string, quantity: number): void {
    if (quantity <= 0) return this.remove(productId);
    this.linesSignal.update((lines) =>
      lines.map((l) =>
        l.productId === productId ? { ...l, quantity: clampQty(quantity, l.stock) } : l,
      ),
    );
  }

  remove(productId: string): void {
    this.linesSignal.update((lines) => lines.filter((l) => l.productId !== productId));
  }

  clear(): void {
    this.linesSignal.set([]);
  }
}

function snapshot(p: Product): Omit<CartLine, 'quantity'> {
  return { productId: p.id, name: p.name, price: p.price, imageUrl: p.imageUrl, stock: p.stock };
}

export function clampQty(q: number, stock: number): number {
  const max = Math.max(1, Math.min(MAX_QTY, stock > 0 ? stock : MAX_QTY));
  return Math.min(Math.max(1, Math.floor(q) || 1), max);
}

function sanitize(raw: unknown): CartLine[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (l): l is CartLine =>
      !!l &&
      typeof l === 'object' &&
      typeof (l as CartLine).productId === 'string' &&
      typeof (l as CartLine).name === 'string' &&
      Number.isInteger((l as CartLine).price) &&
      Number.isInteger((l as CartLine).quantity) &&
      (l as CartLine).quantity > 0,
  );
}
