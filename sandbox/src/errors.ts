/** Razorpay's error envelope: keys in the server's order, `field` only when set. */
export interface RazorpayErrorBody {
  code: string;
  description: string;
  source?: string;
  step?: string;
  reason?: string;
  metadata?: Record<string, string>;
  field?: string;
}

interface ErrorInit {
  code?: string;
  description: string;
  source?: string;
  step?: string;
  reason?: string;
  metadata?: Record<string, string>;
  field?: string;
}

export class RazorpayError extends Error {
  readonly body: { error: RazorpayErrorBody };

  constructor(
    readonly status: number,
    init: ErrorInit,
    bare = false,
  ) {
    super(init.description);
    // Auth and 5xx errors are observed with fewer keys (razorpay.md §3 "Not every error has all keys").
    const error: RazorpayErrorBody = bare
      ? { code: init.code ?? 'BAD_REQUEST_ERROR', description: init.description }
      : {
          code: init.code ?? 'BAD_REQUEST_ERROR',
          description: init.description,
          source: init.source ?? 'NA',
          step: init.step ?? 'NA',
          reason: init.reason ?? 'NA',
          metadata: init.metadata ?? {},
        };
    if (bare && init.metadata) error.metadata = init.metadata;
    if (init.field !== undefined) error.field = init.field;
    this.body = { error };
  }
}

/** 400 for input validation, in the shape of the docs' Failure samples. */
export function validation(description: string, field?: string): RazorpayError {
  return new RazorpayError(400, {
    description,
    source: 'business',
    step: 'payment_initiation',
    reason: 'input_validation_failed',
    field,
  });
}

/** Unknown ids are 400, not 404 (razorpay.md §1.3). */
export function notExist(): RazorpayError {
  return new RazorpayError(400, {
    description: 'The id provided does not exist',
    source: 'business',
    step: 'payment_initiation',
    reason: 'input_validation_failed',
  });
}

/** A wrong-state request (capture twice, refund a failed payment …). */
export function badState(description: string, reason = 'input_validation_failed'): RazorpayError {
  return new RazorpayError(400, {
    description,
    source: 'business',
    step: 'payment_initiation',
    reason,
  });
}

export const urlNotFound = (): RazorpayError =>
  new RazorpayError(400, { description: 'The requested URL was not found on the server.' });

/**
 * Auth failures: HTTP 401 (server code and observations; the docs table says 400, razorpay.md
 * §12.4) with the full envelope of the docs' Failure sample (`source/step/reason: "NA"`,
 * fixture api__orders__fetch-all__045) and the server's description for each case (§3).
 */
export const AUTH_MESSAGES = {
  noKey: 'Please provide your api key for authentication purposes.',
  badKey: 'The api key provided is invalid',
  noSecret: 'Please provide api secret',
  badSecret: 'The api secret provided is invalid',
} as const;

export const authFailed = (why: keyof typeof AUTH_MESSAGES): RazorpayError =>
  new RazorpayError(401, { description: AUTH_MESSAGES[why] });

export const rateLimited = (): RazorpayError =>
  new RazorpayError(429, { description: 'Request failed. Please try after sometime.' });

export function serverError(status = 500): RazorpayError {
  const gateway = status === 502 || status === 504;
  return new RazorpayError(
    status,
    {
      code: gateway ? 'GATEWAY_ERROR' : 'SERVER_ERROR',
      description: 'The server encountered an error. The incident has been reported to admins.',
      metadata: {},
    },
    true,
  );
}

export function orderAlreadyPaid(orderId: string): RazorpayError {
  return new RazorpayError(400, {
    description:
      'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.',
    source: 'business',
    step: 'payment_initiation',
    reason: 'order_already_paid',
    metadata: { order_id: orderId },
  });
}
