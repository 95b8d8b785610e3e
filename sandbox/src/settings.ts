import { randomInt } from 'node:crypto';
import { RazorpayError, validation } from './errors';

/**
 * Account settings and the points the Razorpay docs leave open (razorpay.md §12); switchable at
 * runtime via `/_sandbox/settings`, at creation (`createRazorpaySandbox({settings})`) and from
 * `SANDBOX_*` variables (`sandboxSettingsFromEnv`). Defaults are Razorpay-like: asynchronous
 * capture, pending refunds, duplicated and reordered webhooks.
 */
export interface SandboxSettings {
  /** Min-amount wording: Error Index (default), docs "at least", server tests "atleast". */
  minAmountMessage: 'error_index' | 'at_least' | 'atleast';
  /** The `order_receipt_unique` merchant feature; off by default like Razorpay. */
  receiptUnique: boolean;
  /** Notes limits: docs say 256, server code 512 for values. */
  notesValueMaxLength: number;
  notesKeyMaxLength: number;
  /** Real ms between `authorized` and the automatic capture; 0 = capture inside the pay call. */
  captureDelayMs: number;
  /** Ms (multiplied by the time scale) after which an uncaptured authorized payment is refunded. */
  authorizedExpiryMs: number;
  /** Real ms a normal refund stays `pending`; 0 = `processed` in the answer. */
  refundProcessDelayMs: number;
  /** Share (0..1) of `speed: "optimum"` refunds that fall back to normal (`refund.speed_changed`). */
  optimumFallbackRate: number;
  /** `razorpay`: at-least-once, unordered delivery; `calm`: exactly once, in order. */
  deliveryProfile: 'razorpay' | 'calm';
  /** Share (0..1) of events delivered twice in the `razorpay` profile. */
  duplicateRate: number;
  /** Share (0..1) of events held back (so later ones overtake them) in the `razorpay` profile. */
  reorderRate: number;
  /** Longest hold, in real ms, of a reordered event (and of a duplicate's second copy). */
  reorderWindowMs: number;
  /** Seed of the PRNG behind duplicates, reorders and optimum fallbacks: same seed, same run. */
  deliverySeed: number;
  /** Real ms a UPI collect payment stays `created` before it completes or times out. */
  upiCollectDelayMs: number;
  /** International payments: currencies other than INR are accepted only when on. */
  international: boolean;
  /** Ceiling in subunits: "Amount exceeds maximum amount allowed." above it. */
  maxAmount: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const defaultSettings = (): SandboxSettings => ({
  minAmountMessage: 'error_index',
  receiptUnique: false,
  notesValueMaxLength: 256,
  notesKeyMaxLength: 256,
  captureDelayMs: 1500,
  // razorpay.md §2.2: "auto-refunded … if not captured within 3 days" (the API page says 5).
  authorizedExpiryMs: 3 * DAY_MS,
  refundProcessDelayMs: 1000,
  optimumFallbackRate: 0.2,
  deliveryProfile: 'razorpay',
  duplicateRate: 0.2,
  reorderRate: 0.2,
  reorderWindowMs: 300,
  deliverySeed: 1,
  upiCollectDelayMs: 3000,
  international: false,
  // ₹5,00,000: the per-merchant ceiling is UNCONFIRMED (razorpay.md §1.1); this is our choice.
  maxAmount: 50_000_000,
});

/** A fresh random seed for a sandbox that was not given one (logged, and shown in GET settings). */
export const randomSeed = (): number => randomInt(1, 2 ** 31 - 1);

type Kind = 'int' | 'rate' | 'bool' | readonly string[];

const KINDS: Record<keyof SandboxSettings, Kind> = {
  minAmountMessage: ['error_index', 'at_least', 'atleast'],
  receiptUnique: 'bool',
  notesValueMaxLength: 'int',
  notesKeyMaxLength: 'int',
  captureDelayMs: 'int',
  authorizedExpiryMs: 'int',
  refundProcessDelayMs: 'int',
  optimumFallbackRate: 'rate',
  deliveryProfile: ['razorpay', 'calm'],
  duplicateRate: 'rate',
  reorderRate: 'rate',
  reorderWindowMs: 'int',
  deliverySeed: 'int',
  upiCollectDelayMs: 'int',
  international: 'bool',
  maxAmount: 'int',
};

// These must be at least 1; every other integer may be 0.
const POSITIVE = new Set<string>(['notesValueMaxLength', 'notesKeyMaxLength', 'maxAmount']);

export const SETTING_NAMES = Object.keys(KINDS) as (keyof SandboxSettings)[];

function check(key: string, value: unknown): unknown {
  const kind = KINDS[key as keyof SandboxSettings];
  if (kind === undefined) throw validation(`${key} is not a setting`, key);
  if (Array.isArray(kind)) {
    if (!kind.includes(value as string))
      throw validation(`${key} must be ${kind.join(' or ')}`, key);
  } else if (kind === 'bool') {
    if (typeof value !== 'boolean') throw validation(`${key} must be a boolean`, key);
  } else if (kind === 'rate') {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw validation(`${key} must be a number from 0 to 1`, key);
    }
  } else {
    const min = POSITIVE.has(key) ? 1 : 0;
    if (!Number.isSafeInteger(value) || (value as number) < min) {
      throw validation(`${key} must be ${min ? 'a positive' : 'a non-negative'} integer`, key);
    }
  }
  return value;
}

export function updateSettings(current: SandboxSettings, patch: unknown): SandboxSettings {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    throw validation('settings must be an object');
  }
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) next[key] = check(key, value);
  return next as unknown as SandboxSettings;
}

/** `captureDelayMs` → `SANDBOX_CAPTURE_DELAY_MS`. */
export const envName = (key: string): string =>
  `SANDBOX_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * Reads every setting from its `SANDBOX_*` variable (see `envName`); unset or empty variables are
 * left out. A bad value throws an Error naming the variable. Other `SANDBOX_*` variables
 * (`SANDBOX_PORT`, `SANDBOX_TIME_SCALE`, …) are not settings and are ignored here.
 */
export function sandboxSettingsFromEnv(
  env: Record<string, string | undefined>,
): Partial<SandboxSettings> {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_NAMES) {
    const name = envName(key);
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const kind = KINDS[key];
    let value: unknown = raw;
    if (kind === 'bool') {
      value = ['true', '1', 'yes', 'on'].includes(raw.toLowerCase())
        ? true
        : ['false', '0', 'no', 'off'].includes(raw.toLowerCase())
          ? false
          : raw;
    } else if (kind === 'int' || kind === 'rate') {
      value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    }
    try {
      out[key] = check(key, value);
    } catch (err) {
      const why = err instanceof RazorpayError ? err.body.error.description : String(err);
      throw new Error(`${name}=${JSON.stringify(raw)} is invalid: ${why}`);
    }
  }
  return out as Partial<SandboxSettings>;
}
