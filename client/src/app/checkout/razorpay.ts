/** The parts of Razorpay Checkout (checkout.js) this shop uses. */
import { VerifyPaymentRequest } from '../api/api-types';

export type RazorpaySuccess = VerifyPaymentRequest;

export interface RazorpayFailureError {
  code: string;
  description: string;
  source?: string;
  step?: string;
  reason?: string;
  metadata?: { order_id?: string; payment_id?: string };
}

export interface RazorpayFailure {
  error: RazorpayFailureError;
}

export interface RazorpayOptions {
  key: string;
  amount: number;
  currency: string;
  name: string;
  description?: string;
  image?: string;
  order_id: string;
  handler: (response: RazorpaySuccess) => void;
  prefill?: { name?: string; email?: string; contact?: string };
  notes?: Record<string, string>;
  theme?: { color?: string };
  modal?: { ondismiss?: () => void; escape?: boolean; confirm_close?: boolean };
  /** Seconds until checkout closes itself (calling modal.ondismiss). */
  timeout?: number;
}

export interface RazorpayInstance {
  open(): void;
  close?(): void;
  on(event: 'payment.failed', cb: (response: RazorpayFailure) => void): void;
}

export type RazorpayConstructor = new (options: RazorpayOptions) => RazorpayInstance;

declare global {
  interface Window {
    Razorpay?: RazorpayConstructor;
  }
}
