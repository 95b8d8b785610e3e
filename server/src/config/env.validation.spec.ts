import { validateEnv } from './env.validation';

describe(validateEnv.name, () => {
  it('should apply working sandbox defaults when nothing is set', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      RAZORPAY_MODE: 'sandbox',
      ORDER_TTL_MINUTES: 30,
      RATE_LIMIT_ORDERS_PER_MINUTE: 60,
    });
  });

  it('should name the variable that is malformed', () => {
    expect(() => validateEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnv({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => validateEnv({ RAZORPAY_MODE: 'prod' })).toThrow(/RAZORPAY_MODE/);
  });

  it('should require the Razorpay keys and a JWT secret in live mode', () => {
    expect(() => validateEnv({ RAZORPAY_MODE: 'live' })).toThrow(
      /RAZORPAY_KEY_ID.*RAZORPAY_KEY_SECRET.*RAZORPAY_WEBHOOK_SECRET.*JWT_SECRET/,
    );
    expect(
      validateEnv({
        RAZORPAY_MODE: 'live',
        RAZORPAY_KEY_ID: 'rzp_live_Ab12',
        RAZORPAY_KEY_SECRET: 'secret-1234',
        RAZORPAY_WEBHOOK_SECRET: 'whsec-1234',
        JWT_SECRET: '0123456789abcdef0123',
      }).RAZORPAY_MODE,
    ).toBe('live');
  });
});
