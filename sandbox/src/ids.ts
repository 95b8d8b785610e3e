import { randomInt } from 'node:crypto';
import { RazorpayError, notExist } from './errors';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const EPOCH_2014_MS = Date.UTC(2014, 0, 1);
let lastTime = 0n;

function toBase62(value: bigint, width: number): string {
  let out = '';
  for (let v = value; v > 0n; v /= 62n) out = BASE62[Number(v % 62n)] + out;
  return out.padStart(width, '0').slice(-width);
}

/** `<prefix>_` + 14 base62 chars: 10 from time since 2014 + 4 random, like Razorpay's generator. */
export function newId(prefix: string): string {
  // Strictly increasing time part keeps ids unique and sortable within one process.
  let now =
    BigInt(Date.now() - EPOCH_2014_MS) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (now <= lastTime) now = lastTime + 1n;
  lastTime = now;
  let random = '';
  for (let i = 0; i < 4; i++) random += BASE62[randomInt(62)];
  return `${prefix}_${toBase62(now, 10)}${random}`;
}

/**
 * Razorpay's path-id rules: a wrong or missing prefix is "does not exist"; a right prefix with a
 * malformed remainder is "<rest> is not a valid id". Returns the id unchanged when well-formed.
 */
export function checkId(id: string, prefix: string): string {
  if (!id.startsWith(`${prefix}_`)) throw notExist();
  const rest = id.slice(prefix.length + 1);
  if (!/^[A-Za-z0-9]{14}$/.test(rest)) {
    throw new RazorpayError(400, { description: `${rest} is not a valid id` });
  }
  return id;
}
