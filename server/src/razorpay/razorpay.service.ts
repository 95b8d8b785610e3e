import { Injectable, Logger } from '@nestjs/common';
import Razorpay from 'razorpay';
import type { AxiosError, AxiosInstance } from 'axios';
import { AppConfig } from '../config/app-config';
import { NO_RESPONSE_CODES, RazorpayError } from './razorpay.errors';
import { RazorpayOrderEntity, RazorpayPaymentEntity, RazorpayRefundEntity } from './razorpay.types';

const LIVE_API = 'https://api.razorpay.com';
const READ_ATTEMPTS = 3;
const RETRY_BASE_MS = 100;

export interface CreateRazorpayOrder {
  amount: number;
  currency: string;
  receipt: string;
  notes?: Record<string, string>;
}

/**
 * The only code that talks to Razorpay. The official SDK has no timeout and throws plain objects,
 * so this wrapper sets one, retries safe reads with jittered backoff, and throws RazorpayError only.
 */
@Injectable()
export class RazorpayService {
  private readonly logger = new Logger(RazorpayService.name);
  private readonly sdk: Razorpay;
  private readonly http: AxiosInstance;

  constructor(private readonly config: AppConfig) {
    const { keyId, keySecret } = config.razorpay;
    this.sdk = new Razorpay({ key_id: keyId, key_secret: keySecret });
    // The SDK hard-codes its base URL and sets no timeout; both live on its axios instance.
    this.http = (this.sdk.api as unknown as { rq: AxiosInstance }).rq;
    this.http.defaults.timeout = config.get('RAZORPAY_TIMEOUT_MS');
    // The SDK turns any failure without a response (its own timeout included) into a bare
    // TypeError; giving such failures a response shape first keeps timeouts distinguishable.
    this.http.interceptors.response.use(undefined, (error: AxiosError) =>
      Promise.reject(withNoResponseCode(error)),
    );
    this.useBaseUrl(config.get('RAZORPAY_API_BASE_URL') ?? LIVE_API);
  }

  /** Called once the server knows its own origin, to point the SDK at the mounted sandbox. */
  useBaseUrl(url: string): void {
    this.http.defaults.baseURL = url.replace(/\/$/, '');
  }

  get baseUrl(): string {
    return String(this.http.defaults.baseURL);
  }

  get keyId(): string {
    return this.config.razorpay.keyId;
  }

  // Not retried: Razorpay has no idempotency key for orders; the receipt (our order number) ties it to us.
  createOrder(input: CreateRazorpayOrder): Promise<RazorpayOrderEntity> {
    return this.call('orders.create', () => this.sdk.orders.create(input) as Promise<unknown>);
  }

  fetchPayment(paymentId: string): Promise<RazorpayPaymentEntity> {
    return this.read(
      'payments.fetch',
      () => this.sdk.payments.fetch(paymentId) as Promise<unknown>,
    );
  }

  async fetchOrderPayments(razorpayOrderId: string): Promise<RazorpayPaymentEntity[]> {
    const page = await this.read<{ items: RazorpayPaymentEntity[] }>(
      'orders.fetchPayments',
      () => this.sdk.orders.fetchPayments(razorpayOrderId) as Promise<unknown>,
    );
    return page.items;
  }

  capturePayment(
    paymentId: string,
    amount: number,
    currency: string,
  ): Promise<RazorpayPaymentEntity> {
    return this.call(
      'payments.capture',
      () => this.sdk.payments.capture(paymentId, amount, currency) as Promise<unknown>,
    );
  }

  /**
   * Captures an authorised payment. If Razorpay refuses because auto-capture got there first, the
   * payment's current state is the answer rather than an error.
   */
  async captureAuthorized(payment: RazorpayPaymentEntity): Promise<RazorpayPaymentEntity> {
    try {
      return await this.capturePayment(payment.id, payment.amount, payment.currency);
    } catch (error) {
      if (!(error instanceof RazorpayError) || error.kind !== 'rejected') throw error;
      return this.fetchPayment(payment.id);
    }
  }

  /** The SDK cannot send X-Refund-Idempotency, so this uses its HTTP client directly; the key makes retries safe. */
  createRefund(
    paymentId: string,
    body: { amount: number; notes?: Record<string, string> },
    idempotencyKey: string,
  ): Promise<RazorpayRefundEntity> {
    return this.read('payments.refund', async () => {
      const response = await this.http.post(
        `/v1/payments/${encodeURIComponent(paymentId)}/refund`,
        body,
        {
          headers: { 'X-Refund-Idempotency': idempotencyKey },
        },
      );
      return response.data as unknown;
    });
  }

  private async call<T>(operation: string, run: () => Promise<unknown>): Promise<T> {
    try {
      return (await run()) as T;
    } catch (thrown) {
      const error = RazorpayError.from(operation, thrown);
      this.logger.warn(`${operation} failed: ${error.kind} ${error.upstreamStatus ?? ''}`.trim());
      throw error;
    }
  }

  /** Bounded retries with full jitter for calls that are safe to repeat. */
  private async read<T>(operation: string, run: () => Promise<unknown>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call<T>(operation, run);
      } catch (error) {
        if (!(error instanceof RazorpayError) || !error.retryable || attempt >= READ_ATTEMPTS)
          throw error;
        await sleep(Math.random() * RETRY_BASE_MS * 2 ** attempt);
      }
    }
  }
}

function withNoResponseCode(error: AxiosError): AxiosError {
  if (error.response) return error;
  const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
  const code = timedOut ? NO_RESPONSE_CODES.timeout : NO_RESPONSE_CODES.network;
  return Object.assign(error, {
    response: { status: 0, data: { error: { code, description: error.message } } },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
