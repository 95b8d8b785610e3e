/** Why a call to Razorpay failed, independent of the shape the SDK threw. */
export type RazorpayFailureKind = 'timeout' | 'network' | 'rate_limited' | 'server' | 'rejected';

const HTTP_STATUS: Record<RazorpayFailureKind, number> = {
  timeout: 503,
  network: 503,
  rate_limited: 503,
  server: 502,
  rejected: 502,
};

const MESSAGES: Record<RazorpayFailureKind, string> = {
  timeout: 'Razorpay did not answer in time; try again shortly',
  network: 'Razorpay cannot be reached; try again shortly',
  rate_limited: 'Razorpay is rate limiting requests; try again shortly',
  server: 'Razorpay had an internal error; try again shortly',
  rejected: 'Razorpay rejected the request',
};

/** Error codes RazorpayService attaches to failures that never got an HTTP response. */
export const NO_RESPONSE_CODES = {
  timeout: 'SHOP_CLIENT_TIMEOUT',
  network: 'SHOP_CLIENT_NETWORK',
} as const;

/** The one error type RazorpayService throws. */
export class RazorpayError extends Error {
  constructor(
    readonly kind: RazorpayFailureKind,
    readonly operation: string,
    readonly upstreamStatus?: number,
    readonly upstreamDescription?: string,
  ) {
    super(
      upstreamDescription && kind === 'rejected'
        ? `${MESSAGES[kind]}: ${upstreamDescription}`
        : MESSAGES[kind],
    );
    this.name = 'RazorpayError';
  }

  /**
   * Razorpay's 400 means the request itself was refused (an amount over the maximum, a refund
   * larger than what is left...): the caller's input, so a 4xx with Razorpay's reason, not a 502.
   */
  get causedByRequest(): boolean {
    return this.kind === 'rejected' && this.upstreamStatus === 400;
  }

  /** Razorpay does not know this id (e.g. an order made with another key): asking again will not help. */
  get unknownId(): boolean {
    return this.causedByRequest && /does not exist/i.test(this.upstreamDescription ?? '');
  }

  get code(): 'RAZORPAY_ERROR' | 'RAZORPAY_REJECTED' {
    return this.causedByRequest ? 'RAZORPAY_REJECTED' : 'RAZORPAY_ERROR';
  }

  get httpStatus(): number {
    return this.causedByRequest ? 422 : HTTP_STATUS[this.kind];
  }

  /** Whether a safe (read) call may be tried again; a timeout already waited its full budget. */
  get retryable(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'timeout';
  }

  /**
   * The SDK throws `{statusCode, error}` objects (status 0 with our code when there was no response,
   * see RazorpayService), direct calls throw axios errors, and anything else is a TypeError.
   */
  static from(operation: string, thrown: unknown): RazorpayError {
    if (thrown instanceof RazorpayError) return thrown;
    const t = thrown as {
      statusCode?: number;
      error?: { code?: string; description?: string };
      response?: { status?: number; data?: { error?: { code?: string; description?: string } } };
    } | null;
    const status = t?.statusCode ?? t?.response?.status;
    const upstream = t?.error ?? t?.response?.data?.error;
    const description = upstream?.description;
    if (upstream?.code === NO_RESPONSE_CODES.timeout)
      return new RazorpayError('timeout', operation);
    if (upstream?.code === NO_RESPONSE_CODES.network || !status)
      return new RazorpayError('network', operation);
    if (status === 429) return new RazorpayError('rate_limited', operation, status, description);
    if (status >= 500) return new RazorpayError('server', operation, status, description);
    return new RazorpayError('rejected', operation, status, description);
  }
}
