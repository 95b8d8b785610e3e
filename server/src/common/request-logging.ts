import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';

const REDACTED = '[Redacted]';

/** Keys whose values never reach a log, at any depth: credentials, personal data, card fields. */
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|x-razorpay-signature|password|.*secret.*|.*token|signature|razorpay_signature|email|contact|phone|mobile|card|card_number|number|cvv|cvc|expiry.*|expiry_month|expiry_year|vpa|name_on_card)$/i;
/** The same data inside free text (messages, error strings). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const PHONE = /(?:\+?\d{1,3}[ -]?)?\b\d{10}\b/g;

/** Masks emails, card numbers and phone numbers in a string. */
export function scrubText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(CARD, (digits) => (luhnValid(digits) ? '[card]' : digits))
    .replace(PHONE, '[phone]');
}

/** A copy of `value` with secret keys censored and personal data masked in every string. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message) };
  // Only plain data: requests, responses and other instances are left to pino's serializers.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key,
      SECRET_KEYS.test(key) ? REDACTED : scrub(v, depth + 1),
    ]),
  );
}

/** Card numbers pass the Luhn check; order ids and timestamps of the same length mostly do not. */
function luhnValid(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const PINO_LEVEL: Record<string, LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
};

/**
 * nestjs-pino settings: one JSON line per request (method, path, query, headers, status, time,
 * request id kept from X-Request-Id when sent) and every other log through the same pino logger,
 * with credentials, cookies, emails, phone numbers and card fields redacted wherever they appear.
 */
export function loggerParams(logLevel: string): Params {
  return {
    pinoHttp: {
      level: PINO_LEVEL[logLevel] ?? 'info',
      customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
      quietReqLogger: true,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      customSuccessMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
      serializers: {
        // Never bodies; headers and query with credentials and personal data masked (scrub()).
        req: (req: { method?: string; url?: string; headers?: object }) =>
          scrub({
            method: req.method,
            path: pathOf(req.url),
            query: queryOf(req.url),
            headers: req.headers,
          }),
        res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      },
      // Structural paths pino removes before anything else; scrub() covers every depth after.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.email',
          '*.contact',
          '*.card',
        ],
        censor: REDACTED,
      },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as typeof args,
          );
        },
      },
    },
  };
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

function queryOf(url: string | undefined): Record<string, string> | undefined {
  const query = (url ?? '').split('?')[1];
  return query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
}
