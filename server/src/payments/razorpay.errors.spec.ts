import { RazorpayError } from './razorpay.errors';

describe(RazorpayError.name, () => {
  it.each([
    [
      'an SDK error object with a 400',
      { statusCode: 400, error: { description: 'The id provided does not exist' } },
      'rejected',
      502,
    ],
    [
      'an SDK error object with a 429',
      { statusCode: 429, error: { description: 'Request failed.' } },
      'rate_limited',
      503,
    ],
    ['an SDK error object with a 503', { statusCode: 503, error: {} }, 'server', 502],
    [
      'an axios timeout',
      Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' }),
      'timeout',
      503,
    ],
    [
      'a TypeError with no response',
      new TypeError("Cannot read properties of undefined (reading 'status')"),
      'network',
      503,
    ],
    [
      'a connection refusal',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'network',
      503,
    ],
  ])('should map %s', (_, thrown, kind, status) => {
    const error = RazorpayError.from('orders.create', thrown);
    expect(error.kind).toBe(kind);
    expect(error.httpStatus).toBe(status);
  });

  it("should carry Razorpay's description when it rejects a request", () => {
    const error = RazorpayError.from('payments.capture', {
      statusCode: 400,
      error: { description: 'already captured' },
    });
    expect(error.message).toBe('Razorpay rejected the request: already captured');
    expect(error.retryable).toBe(false);
  });

  it('should not retry a timeout but retry a server error', () => {
    expect(RazorpayError.from('x', { code: 'ECONNABORTED' }).retryable).toBe(false);
    expect(RazorpayError.from('x', { statusCode: 502 }).retryable).toBe(true);
  });
});
