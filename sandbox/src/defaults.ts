// Shared defaults so the shop and the standalone sandbox agree without extra configuration.
export const SANDBOX_DEFAULT_KEY_ID = 'rzp_test_SandboxKey0001';
export const SANDBOX_DEFAULT_KEY_SECRET = 'sandbox_key_secret';
export const SANDBOX_DEFAULT_WEBHOOK_SECRET = 'sandbox_webhook_secret';
export const SANDBOX_DEFAULT_PORT = 4010;
export const SANDBOX_MOUNT_PATH = '/sandbox/razorpay';

// Razorpay does not publish its retry schedule (razorpay.md §6.4, UNCONFIRMED): 90 s doubling
// over 11 attempts spans ~25.6 h, close to the documented "24 hours" before disabling.
export const WEBHOOK_BASE_RETRY_DELAY_MS = 90_000;
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 11;
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;

// Fixed, syntactically valid account id for the event envelope (`acc_` + 14 chars).
export const SANDBOX_ACCOUNT_ID = 'acc_SandboxAcct001';

/** The three defaults as one object (the shop's config reads it this way). */
export const SANDBOX_DEFAULT_CREDENTIALS = {
  keyId: SANDBOX_DEFAULT_KEY_ID,
  keySecret: SANDBOX_DEFAULT_KEY_SECRET,
  webhookSecret: SANDBOX_DEFAULT_WEBHOOK_SECRET,
} as const;
