import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { authFailed } from './errors';

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** HTTP Basic with key id/secret; only the exact `Basic <base64>` form (razorpay.md §4). */
export function basicAuth(keyId: string, keySecret: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const key = sep < 0 ? decoded : decoded.slice(0, sep);
    const secret = sep < 0 ? '' : decoded.slice(sep + 1);
    if (!key) return next(authFailed('noKey'));
    if (!same(key, keyId)) return next(authFailed('badKey'));
    if (!secret) return next(authFailed('noSecret'));
    if (!same(secret, keySecret)) return next(authFailed('badSecret'));
    next();
  };
}

/** Browser calls carry the public key id only; the secret never reaches the page. */
export function checkPublicKey(req: Request, keyId: string): void {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.key_id;
  const key = typeof fromBody === 'string' ? fromBody : req.query.key_id;
  if (typeof key !== 'string' || !key) throw authFailed('noKey');
  if (!same(key, keyId)) throw authFailed('badKey');
}
