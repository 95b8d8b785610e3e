import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Razorpay from 'razorpay';
import { missingKeys, unknownKeys } from './contract';
import {
  createRazorpaySandbox,
  SANDBOX_DEFAULT_KEY_ID,
  SANDBOX_DEFAULT_KEY_SECRET,
  SANDBOX_DEFAULT_WEBHOOK_SECRET,
  type RazorpaySandbox,
  type RazorpaySandboxOptions,
} from '../src';

export const KEY_ID = SANDBOX_DEFAULT_KEY_ID;
export const KEY_SECRET = SANDBOX_DEFAULT_KEY_SECRET;
export const WEBHOOK_SECRET = SANDBOX_DEFAULT_WEBHOOK_SECRET;
export { FIXTURES } from './contract';
import { FIXTURES } from './contract';

export const fixture = <T = Record<string, unknown>>(file: string): T =>
  JSON.parse(readFileSync(`${FIXTURES}/${file}`, 'utf8')) as T;

export const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface Harness {
  sandbox: RazorpaySandbox;
  server: Server;
  base: string;
  rzp: Razorpay;
  logs: string[];
  stop(): Promise<void>;
}

/** Starts the sandbox the way the shop mounts it, on a real port, with the SDK pointed at it. */
/** Exactly once, in order: for tests about something other than the delivery profile. */
export const CALM = { deliveryProfile: 'calm' } as const;

/**
 * Auto-captures only when a test flushes them: a test that checks the `authorized` state must not
 * find the payment captured behind its back on a loaded machine. The timer itself is tested in
 * controls.spec.ts ("by itself").
 */
export const CAPTURE_ON_FLUSH = { captureDelayMs: 600_000 } as const;

export async function startSandbox(
  opts: Partial<RazorpaySandboxOptions> = {},
  prepare?: (app: express.Express) => void,
): Promise<Harness> {
  const logs: string[] = [];
  const sandbox = createRazorpaySandbox({
    keyId: KEY_ID,
    keySecret: KEY_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    timeScale: 0.001,
    maxDeliveryAttempts: 4,
    deliveryTimeoutMs: 1000,
    log: (line) => logs.push(line),
    ...opts,
    // Razorpay-like defaults, with a fixed seed so every run makes the same delivery decisions.
    settings: { deliverySeed: 42, ...opts.settings },
  });
  const app = express();
  prepare?.(app);
  app.use('/sandbox/razorpay', sandbox.router);
  const server = http.createServer(app);
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}/sandbox/razorpay`;
  const rzp = sdk(base);
  return {
    sandbox,
    server,
    base,
    rzp,
    logs,
    stop: async () => {
      await sandbox.close();
      await closeServer(server);
    },
  };
}

export function sdk(
  base: string,
  keyId = KEY_ID,
  keySecret = KEY_SECRET,
  timeoutMs = 5000,
): Razorpay {
  const rzp = new Razorpay({ key_id: keyId, key_secret: keySecret });
  // The SDK hard-codes api.razorpay.com (razorpay.md §10.12); these are its axios defaults.
  const rq = (rzp as unknown as { api: { rq: { defaults: { baseURL: string; timeout: number } } } })
    .api.rq;
  rq.defaults.baseURL = base;
  rq.defaults.timeout = timeoutMs;
  return rzp;
}

export const basic = (keyId = KEY_ID, secret = KEY_SECRET): string =>
  `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;

/** Plain HTTP for the controls and for what the SDK cannot send. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: basic(),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Pays an order through the control endpoint (what the modal does). */
export const pay = (
  base: string,
  orderId: string,
  outcome: 'success' | 'failure' | 'pending' | 'timeout',
  extra = {},
) => call(base, 'POST', '/_sandbox/payments', { order_id: orderId, outcome, ...extra });

/** Runs the sandbox's scheduled effects now (all but the authorisation expiry by default). */
export const flush = (base: string, kinds?: string[]) =>
  call(base, 'POST', '/_sandbox/flush', kinds ? { kinds } : {});

/**
 * Pays and then flushes: the auto-capture, refund processing and held deliveries happen now
 * instead of after their delays. A UPI collect payment answers only once completed, so its
 * completion is flushed while the pay call waits.
 */
export async function payAndSettle(
  base: string,
  orderId: string,
  outcome: 'success' | 'failure' | 'timeout',
  extra: Record<string, unknown> = {},
) {
  let done = false;
  const paid = pay(base, orderId, outcome, extra).finally(() => (done = true));
  while (!done) {
    await flush(base, ['upi_collect']);
    if (!done) await sleep(5);
  }
  const res = await paid;
  await flush(base);
  return res;
}

/** The SDK rejects with plain objects `{statusCode, error}` (razorpay.md §10.3). */
export async function sdkError(p: Promise<unknown>): Promise<{ statusCode: number; error: any }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode: number; error: any };
  }
  throw new Error('expected the SDK call to fail');
}

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: any;
}

/** A real HTTP webhook receiver whose answer per request is scriptable. */
export class Receiver {
  readonly received: Received[] = [];
  /** Returns the status to answer, or 'hang' to never answer. */
  respond: (r: Received, index: number) => number | 'hang' = () => 200;
  /** Sent as `Location` with 3xx answers. */
  redirectTo: string | null = null;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const r: Received = {
        at: Date.now(),
        headers: req.headers,
        raw,
        json: JSON.parse(raw.toString('utf8')),
      };
      this.received.push(r);
      const answer = this.respond(r, this.received.length - 1);
      if (answer === 'hang') return;
      const location = answer >= 300 && answer < 400 && this.redirectTo;
      res.writeHead(answer, location ? { location } : {}).end('ok');
    });
  });
  url = '';

  async start(): Promise<this> {
    const port = await listen(this.server);
    this.url = `http://127.0.0.1:${port}/api/webhooks/razorpay`;
    return this;
  }

  events(name?: string): Received[] {
    return this.received.filter((r) => !name || r.json.event === name);
  }

  /** One entry per event id (first delivery), whatever the duplicates. */
  distinct(name?: string): Received[] {
    const seen = new Set<unknown>();
    return this.events(name).filter((r) => {
      const id = r.headers['x-razorpay-event-id'];
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

export async function waitFor<T>(
  fn: () => T | undefined | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const hmac = (payload: string | Buffer, secret: string) =>
  createHmac('sha256', secret).update(payload).digest('hex');

/**
 * Two-way contract with one documented sample (see contract.ts): the sample's keys and types
 * must be in ours, and every key of ours must appear in some sample of the same entity.
 * `optional` maps `<entity>.<path>` to the reason a key may be missing in this comparison.
 */
export function expectSameShape(
  ours: Record<string, unknown>,
  sample: Record<string, unknown>,
  optional: Record<string, string> = {},
): void {
  expect({ missing: missingKeys(ours, sample, optional) }).toEqual({ missing: [] });
  expect({ unknown: unknownKeys(ours) }).toEqual({ unknown: [] });
}
