import { readdirSync, readFileSync } from 'node:fs';

/**
 * Two-way shape contract against Razorpay's documented samples (../shared/fixtures/razorpay):
 * - forward: every key a sample shows must be in ours, with the same JSON type, unless it is in
 *   OPTIONAL with the reason the sandbox leaves it out;
 * - reverse: every key we send must appear in at least one sample of the same entity at the same
 *   place (the union over all samples), unless it is in EXTRA with a reason.
 * `null` on either side matches any type: the samples themselves differ there (e.g. `error_code`
 * is `""` in the newer card samples and `null` elsewhere; the sandbox sends `null`).
 */
export const FIXTURES = '/work/shared/fixtures/razorpay';

/** Fixture keys the sandbox may lack, as `<entity>.<path>`, with the reason. */
export const OPTIONAL: Record<string, string> = {
  'payment.card': 'only in webhook payloads and with expand[]=card, for card and emi payments',
  'payment.upi': 'only for method upi',
  'refund.speed_processed': 'only when the request set `speed` (razorpay.md §2.6)',
  'refund.speed_requested': 'only when the request set `speed` (razorpay.md §2.6)',
  'order.offers': 'only for orders with offers; the sandbox has none',
  'collection.items': 'items are compared one by one with their own samples',
};

/** Keys the sandbox sends that no sample shows, with the reason. Keep it short. */
export const EXTRA: Record<string, string> = {};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

// Free-form maps (user data, per-method variants) are not part of the contract's key sets.
const FREE = new Set(['notes', 'metadata']);

/** kind.path → every key any sample shows there. */
const KNOWN = new Map<string, Set<string>>();

function learn(node: unknown, kind: string, path: string): void {
  if (Array.isArray(node)) return node.forEach((n) => learn(n, kind, path));
  if (!isObject(node)) return;
  const own = typeof node.entity === 'string' ? node.entity : null;
  const k = own ?? kind;
  const p = own ? '' : path;
  const where = `${k}${p}`;
  const keys = KNOWN.get(where) ?? new Set<string>();
  KNOWN.set(where, keys);
  for (const [key, value] of Object.entries(node)) {
    keys.add(key);
    if (!FREE.has(key)) learn(value, k, `${p}.${key}`);
  }
}

for (const file of readdirSync(FIXTURES)) {
  if (!file.includes('__')) continue;
  const sample = JSON.parse(readFileSync(`${FIXTURES}/${file}`, 'utf8')) as Json;
  if (!('error' in sample)) learn(sample, 'root', '');
}

/** Reverse direction: keys of ours that no sample of the same entity shows at that place. */
export function unknownKeys(ours: unknown, kind = 'root', path = ''): string[] {
  if (Array.isArray(ours)) return ours.flatMap((n) => unknownKeys(n, kind, path));
  if (!isObject(ours)) return [];
  const own = typeof ours.entity === 'string' ? ours.entity : null;
  const k = own ?? kind;
  const p = own ? '' : path;
  const known = KNOWN.get(`${k}${p}`);
  const out: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const where = `${k}${p}.${key}`;
    if (!known?.has(key) && !(where in EXTRA)) out.push(where);
    else if (!FREE.has(key)) out.push(...unknownKeys(value, k, `${p}.${key}`));
  }
  return out;
}

/** Forward direction: keys (and types) of one sample that ours lacks or types differently. */
export function missingKeys(
  ours: Json,
  sample: Json,
  optional: Record<string, string> = {},
  kind = 'root',
  path = '',
): string[] {
  const own = typeof sample.entity === 'string' ? sample.entity : null;
  const k = own ?? kind;
  const p = own ? '' : path;
  const out: string[] = [];
  for (const [key, value] of Object.entries(sample)) {
    const where = `${k}${p}.${key}`;
    if (where in OPTIONAL || where in optional) continue;
    if (!(key in ours)) {
      out.push(`${where} missing`);
      continue;
    }
    const a = ours[key];
    if (value === null || a === null || FREE.has(key)) continue;
    if (typeOf(a) !== typeOf(value)) {
      out.push(`${where} is ${typeOf(a)}, sample ${typeOf(value)}`);
    } else if (isObject(value) && key !== 'acquirer_data') {
      // acquirer_data's keys depend on the method and the bank; the reverse check still applies.
      out.push(...missingKeys(a as Json, value, optional, k, `${p}.${key}`));
    }
  }
  return out;
}
