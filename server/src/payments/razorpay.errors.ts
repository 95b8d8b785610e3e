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

/** The one error type RazorpayService throws. */
export class RazorpayError extends Error {
  readonly code = 'RAZORPAY_ERROR';
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

  get httpStatus(): number {
    return HTTP_STATUS[this.kind];
  }

  /** Whether a safe (read) call may be tried again; a timeout already waited its full budget. */
  get retryable(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'timeout';
  }

  /** The SDK throws `{statusCode, error}` objects, axios errors, or a TypeError without a response. */
  static from(operation: string, thrown: unknown): RazorpayError {
    if (thrown instanceof RazorpayError) return thrown;
    const t = thrown as {
      statusCode?: number;
      error?: { description?: string };
      code?: string;
      response?: { status?: number; data?: { error?: { description?: string } } };
    } | null;
    const status = t?.statusCode ?? t?.response?.status;
    const description = t?.error?.description ?? t?.response?.data?.error?.description;
    if (
      t?.code === 'ECONNABORTED' ||
      t?.code === 'ETIMEDOUT' ||
      /timeout/i.test(String((thrown as Error)?.message))
    ) {
      return new RazorpayError('timeout', operation);
    }
    if (status === 429) return new RazorpayError('rate_limited', operation, status, description);
    if (status !== undefined && status >= 500)
      return new RazorpayError('server', operation, status, description);
    if (status !== undefined) return new RazorpayError('rejected', operation, status, description);
    return new RazorpayError('network', operation);
  }
}
