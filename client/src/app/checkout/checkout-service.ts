import { CSP_NONCE, DOCUMENT, Injectable, PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { ConfigService } from '../core/config-service';
import {
  RazorpayFailureError,
  RazorpayInstance,
  RazorpayOptions,
  RazorpaySuccess,
} from './razorpay';

/** What our API gave us for one order; nothing here is decided by the browser. */
export interface CheckoutOrder {
  keyId: string;
  razorpayOrderId: string;
  amountPaise: number;
  currency: string;
  description: string;
  orderId: string;
  prefill: { name: string; email: string; contact: string };
  /** Checkout closes itself after this many seconds, before the order expires. */
  timeoutSeconds?: number;
}

export type CheckoutResult =
  | { kind: 'success'; response: RazorpaySuccess }
  | { kind: 'failed'; error: RazorpayFailureError }
  | { kind: 'dismissed' };

/** checkout.js could not be loaded or started. */
export class CheckoutUnavailableError extends Error {
  constructor(
    message = 'The payment window could not be loaded. Check your connection and try again.',
  ) {
    super(message);
    this.name = 'CheckoutUnavailableError';
  }
}

@Injectable({ providedIn: 'root' })
export class CheckoutService {
  private readonly document = inject(DOCUMENT);
  private readonly isBrowser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly nonce = inject(CSP_NONCE, { optional: true });
  private readonly config = inject(ConfigService);
  private scriptLoad?: Promise<void>;

  /**
   * Opens Razorpay Checkout and settles once: success (handler), failed (payment.failed) or
   * dismissed (modal closed). Rejects with CheckoutUnavailableError when checkout.js cannot load.
   */
  async open(order: CheckoutOrder): Promise<CheckoutResult> {
    await this.loadScript();
    const Razorpay = this.document.defaultView?.Razorpay;
    if (!Razorpay) throw new CheckoutUnavailableError();

    return new Promise<CheckoutResult>((resolve) => {
      let settled = false;
      let rzp: RazorpayInstance | undefined;
      const settle = (result: CheckoutResult, close: boolean) => {
        if (settled) return;
        settled = true;
        resolve(result);
        if (close) {
          try {
            rzp?.close?.();
          } catch {
            /* already closed */
          }
        }
      };
      const options: RazorpayOptions = {
        key: order.keyId,
        amount: order.amountPaise,
        currency: order.currency,
        name: 'Dukaan',
        description: order.description,
        image: '/images/logo.svg',
        order_id: order.razorpayOrderId,
        handler: (response) => settle({ kind: 'success', response }, false),
        prefill: order.prefill,
        notes: { shop_order_id: order.orderId },
        theme: { color: '#b4461f' },
        modal: { ondismiss: () => settle({ kind: 'dismissed' }, false) },
        ...(order.timeoutSeconds && order.timeoutSeconds > 0
          ? { timeout: order.timeoutSeconds }
          : {}),
      };
      try {
        rzp = new Razorpay(options);
        rzp.on('payment.failed', (e) =>
          settle(
            {
              kind: 'failed',
              error: e?.error ?? { code: 'UNKNOWN', description: 'Payment failed' },
            },
            true,
          ),
        );
        rzp.open();
      } catch {
        settled = true;
        throw new CheckoutUnavailableError(
          'The payment window could not be opened. Please try again.',
        );
      }
    });
  }

  private async loadScript(): Promise<void> {
    if (!this.isBrowser) throw new CheckoutUnavailableError('Razorpay checkout is browser-only');
    if (this.document.defaultView?.Razorpay) return;
    return (this.scriptLoad ??= this.injectScript().catch((err: unknown) => {
      this.scriptLoad = undefined;
      throw err instanceof CheckoutUnavailableError ? err : new CheckoutUnavailableError();
    }));
  }

  private async injectScript(): Promise<void> {
    const { checkoutScriptUrl } = await this.config.load();
    await new Promise<void>((resolve, reject) => {
      const script = this.document.createElement('script');
      script.src = checkoutScriptUrl;
      script.async = true;
      if (this.nonce) script.setAttribute('nonce', this.nonce);
      script.onload = () => resolve();
      script.onerror = () => {
        script.remove();
        reject(new CheckoutUnavailableError());
      };
      this.document.body.appendChild(script);
    });
    if (!this.document.defaultView?.Razorpay) throw new CheckoutUnavailableError();
  }
}
