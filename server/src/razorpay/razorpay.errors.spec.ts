import { RazorpayError } from './razorpay.errors';

describe(RazorpayError.name, () => {
  it.each([
    [
      'an SDK error object with a 400',
      { statusCode: 400, error: { description: 'The id provided does not exist' } },
      'rejected',
      422,
    ],
    [
      'an SDK error object with a 401 (our key is wrong, not the caller)',
      { statusCode: 401, error: { description: 'The api key provided is invalid' } },
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
      'a timeout the SDK rethrew',
      {
        statusCode: 0,
        error: { code: 'SHOP_CLIENT_TIMEOUT', description: 'timeout of 1000ms exceeded' },
      },
      'timeout',
      503,
    ],
    [
      'a refused connection the SDK rethrew',
      {
        statusCode: 0,
        error: { code: 'SHOP_CLIENT_NETWORK', description: 'connect ECONNREFUSED' },
      },
      'network',
      503,
    ],
    [
      'a timeout on a direct call',
      { response: { status: 0, data: { error: { code: 'SHOP_CLIENT_TIMEOUT' } } } },
      'timeout',
      503,
    ],
    [
      'a TypeError with no response',
      new TypeError("Cannot read properties of undefined (reading 'status')"),
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
    expect(
      RazorpayError.from('x', { statusCode: 0, error: { code: 'SHOP_CLIENT_TIMEOUT' } }).retryable,
    ).toBe(false);
    expect(RazorpayError.from('x', { statusCode: 502 }).retryable).toBe(true);
  });
});
