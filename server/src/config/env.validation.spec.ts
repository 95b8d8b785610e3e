import { sandboxBanner, validateEnv } from './env.validation';

/** Only the live prefix matters; built at run time so no live-looking key is in the source. */
const FAKE_LIVE_KEY_ID = ['rzp', 'live', 'Ab12'].join('_');

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
        RAZORPAY_KEY_ID: FAKE_LIVE_KEY_ID,
        RAZORPAY_KEY_SECRET: 'secret-1234',
        RAZORPAY_WEBHOOK_SECRET: 'whsec-1234',
        JWT_SECRET: '0123456789abcdef0123',
        ADMIN_EMAIL: 'ops@shop.example.in',
        ADMIN_PASSWORD: 'Tr0ub4dor&3-horse',
      }).RAZORPAY_MODE,
    ).toBe('live');
  });
});

describe('live-mode and sandbox safety', () => {
  const live = {
    RAZORPAY_MODE: 'live',
    RAZORPAY_KEY_ID: FAKE_LIVE_KEY_ID,
    RAZORPAY_KEY_SECRET: 'secret-1234',
    RAZORPAY_WEBHOOK_SECRET: 'whsec-1234',
    JWT_SECRET: '0123456789abcdef0123',
    ADMIN_EMAIL: 'ops@shop.example.in',
    ADMIN_PASSWORD: 'Tr0ub4dor&3-horse',
  };

  it('should accept a live configuration with its own operator account', () =>
    expect(validateEnv(live).RAZORPAY_MODE).toBe('live'));

  it('should refuse the documented operator account in live mode, naming each variable', () => {
    expect(() => validateEnv({ ...live, ADMIN_PASSWORD: 'admin-password' })).toThrow(
      /ADMIN_PASSWORD: is the documented default when RAZORPAY_MODE=live/,
    );
    expect(() => validateEnv({ ...live, ADMIN_EMAIL: 'admin@example.com' })).toThrow(
      /ADMIN_EMAIL: is the documented default/,
    );
  });

  it.each([
    ['short', 'Ab1!xyz'],
    ['a common word', 'MyPassword2026!'],
    ['one character class', 'abcdefghijklmnop'],
    ['few distinct characters', 'ab12ab12ab12ab12'],
    ['the email', 'ops@shop-2026-ops'],
  ])('should refuse a weak ADMIN_PASSWORD in live mode (%s)', (_, password) =>
    expect(() => validateEnv({ ...live, ADMIN_PASSWORD: password })).toThrow(/ADMIN_PASSWORD: /),
  );

  it('should refuse a live key in sandbox mode with one line naming RAZORPAY_MODE', () => {
    expect(() => validateEnv({ RAZORPAY_KEY_ID: FAKE_LIVE_KEY_ID })).toThrow(
      /^Invalid configuration: RAZORPAY_MODE: is sandbox but RAZORPAY_KEY_ID is a live key[^\n]*$/,
    );
    expect(validateEnv({ RAZORPAY_KEY_ID: 'rzp_test_Ab12' }).RAZORPAY_KEY_ID).toBe('rzp_test_Ab12');
  });

  it('should print a banner in sandbox mode only', () => {
    expect(sandboxBanner(validateEnv({}))).toMatch(/^RAZORPAY_MODE=sandbox: .*no money moves/);
    expect(sandboxBanner(validateEnv(live))).toBeUndefined();
  });

  it('should require a metrics token of at least 16 characters when one is set', () =>
    expect(() => validateEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/));
});

describe('cluster mode', () => {
  it('should refuse an in-process sandbox per instance, naming RAZORPAY_API_BASE_URL', () => {
    expect(() => validateEnv({ SHOP_INSTANCE: '2' })).toThrow(
      /RAZORPAY_API_BASE_URL: is required with several instances/,
    );
    expect(
      validateEnv({
        SHOP_INSTANCE: '2',
        RAZORPAY_API_BASE_URL: 'http://127.0.0.1:4010/sandbox/razorpay',
      }).SHOP_INSTANCE,
    ).toBe(2);
  });
});
