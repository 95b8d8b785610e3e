import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SANDBOX_KEY } from './support/api';
import { ADMIN } from './support/test-app';
import { testDatabaseUri } from './support/test-database';

// The shop killed with SIGKILL in the middle of a stream of payments whose webhooks Razorpay
// delivers twice, then started again on the same database (issue 10, "Also"). The sandbox runs as
// its own process, so Razorpay's state and its delivery retries outlive the shop. The reconciler
// is off, as in the measurement, so only the webhook path can settle the orders.
const ROOT = join(__dirname, '../..');
const ORDERS = Number(process.env.CRASH_ORDERS ?? 80);
const KILL_AFTER = Math.floor(ORDERS * 0.4);
/**
 * Razorpay's retry backoff, compressed: retries 0.18 s, 0.54 s, 1.3 s, … 46 s after the first
 * attempt, so a slow restart does not use up the eleven attempts. Once the dead process's lease
 * (30 s) is over, the test runs the scheduled retries at once (POST /_sandbox/flush), as the
 * later retries of Razorpay's 24-hour schedule would.
 */
const TIME_SCALE = '0.002';
const LEASE_MS = 30_000;

const progress = (line: string) => process.stderr.write(`[crash] ${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The built server when it is up to date (npm test builds it), else the sources via ts-node. */
function shopArgs(): string[] {
  // CRASH_SHOP_MAIN: a server built elsewhere (e.g. `tsc -p server/tsconfig.build.json --outDir …`).
  if (process.env.CRASH_SHOP_MAIN) return [process.env.CRASH_SHOP_MAIN];
  const main = join(ROOT, 'dist/api/server/src/main.js');
  const sources = Math.max(
    newestMtime(join(ROOT, 'server/src')),
    newestMtime(join(ROOT, 'sandbox/src')),
  );
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return [main];
  return [
    '-r',
    require.resolve('ts-node/register/transpile-only'),
    join(ROOT, 'server/src/main.ts'),
  ];
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function start(args: string[], env: Record<string, string>): Proc {
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, args, {
    // Not the repository: a developer's .env must not change what is tested.
    cwd: tmpdir(),
    env: { ...inherited, TS_NODE_PROJECT: join(ROOT, 'server/tsconfig.json'), ...env },
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + String(d)).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + String(d)).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  proc?: Proc,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (proc && proc.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready in ${timeoutMs} ms\n${proc?.output() ?? ''}`);
}

/** Runs `task` over `items`, `concurrency` at a time. */
async function pool<T, R>(
  items: T[],
  concurrency: number,
  task: (item: T, i: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

interface SandboxEvent {
  id: string;
  event: string;
  order_id: string | null;
  status: string;
  attempts: { status: number | null; ok: boolean; error?: string }[];
}

describe('Crash and restart mid-stream (e2e, separate processes)', () => {
  let sandboxProc: Proc | undefined;
  let shop: Proc | undefined;

  afterAll(async () => {
    for (const proc of [shop, sandboxProc]) {
      if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (proc.child.exitCode === null && proc.child.signalCode === null)
          proc.child.kill('SIGKILL');
      }
    }
  });

  it('settles every order exactly once, conserves stock and leaves no event undelivered after a SIGKILL', async () => {
    const started = Date.now();
    const [sandboxPort, shopPort] = [await freePort(), await freePort()];
    const sandboxBase = `http://127.0.0.1:${sandboxPort}/sandbox/razorpay`;
    const shopOrigin = `http://127.0.0.1:${shopPort}`;
    sandboxProc = start([join(ROOT, 'scripts/sandbox.mjs')], {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_WEBHOOK_URL: `${shopOrigin}/api/webhooks/razorpay`,
      SANDBOX_TIME_SCALE: TIME_SCALE,
    });
    const sb = (method: 'get' | 'post' | 'put', path: string) =>
      request(sandboxBase)[method](path).auth(SANDBOX_KEY.id, SANDBOX_KEY.secret);
    await waitFor(
      'sandbox',
      async () => (await sb('get', '/_sandbox/endpoint')).status === 200,
      60_000,
      sandboxProc,
    );
    // Opts out of the random profile on purpose: the duplicate fault below already delivers
    // every event twice, and a calm, fast-capturing sandbox keeps the kill -9 the only variable.
    // Reordered and randomly duplicated delivery is covered by the property and cluster tests.
    await sb('put', '/_sandbox/settings').send({ deliveryProfile: 'calm', captureDelayMs: 200 }); // reason above
    await sb('post', '/_sandbox/faults')
      .send({ target: 'webhooks', type: 'duplicate', count: 100_000 })
      .expect(201);

    const shopEnv = {
      PORT: String(shopPort),
      MONGODB_URI: testDatabaseUri('crash'),
      RAZORPAY_MODE: 'sandbox',
      RAZORPAY_API_BASE_URL: sandboxBase,
      RECONCILE_INTERVAL_SECONDS: '0',
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_ORDERS_PER_MINUTE: '10000',
      SEED_DEMO_PRODUCTS: 'false',
      LOG_LEVEL: 'error',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      JWT_SECRET: 'e2e-jwt-secret-0123456789abcdef',
    };
    const args = shopArgs();
    const startShop = async () => {
      const proc = start(args, shopEnv);
      await waitFor(
        'shop',
        async () => (await fetch(`${shopOrigin}/api/health`)).status === 200,
        90_000,
        proc,
      );
      return proc;
    };
    progress(`sandbox up; starting the shop (${args.join(' ')})`);
    shop = await startShop();
    progress(`shop up after ${Date.now() - started} ms`);
    const http = () => request(shopOrigin);
    const admin = (
      (await http().post('/api/auth/login').send(ADMIN).expect(200)).body as { accessToken: string }
    ).accessToken;
    const initialStock = ORDERS + 10;
    const product = (
      await http()
        .post('/api/products')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'Crash test', price: 20_000, stock: initialStock, description: 'crash' })
        .expect(201)
    ).body as { id: string };
    const orders = await pool(Array.from({ length: ORDERS }), 6, async () => {
      const res = await http()
        .post('/api/orders')
        .send({
          items: [{ productId: product.id, quantity: 1 }],
          customer: { name: 'Crash Shopper', email: 'crash@example.com', contact: '+919876543210' },
        })
        .expect(201);
      return res.body as { id: string; razorpayOrderId: string };
    });
    const placedMs = Date.now() - started;
    progress(`${ORDERS} orders placed at ${placedMs} ms`);

    // Pay them all through Razorpay; the shop dies with SIGKILL in the middle of the stream and
    // is started again while payments and their (doubled) deliveries keep coming.
    let restarted: Promise<Proc> | undefined;
    let killedAt = 0;
    await pool(orders, 4, async (order, i) => {
      if (i === KILL_AFTER && !restarted) {
        killedAt = Date.now();
        const dead = shop as Proc;
        dead.child.kill('SIGKILL');
        restarted = dead.exited.then(startShop);
      }
      const res = await sb('post', '/_sandbox/payments').send({
        order_id: order.razorpayOrderId,
        outcome: 'success',
      });
      expect(res.status).toBe(200);
    });
    progress(`all payments made at ${Date.now() - started} ms`);
    shop = await (restarted as Promise<Proc>);
    const restartMs = Date.now() - killedAt;
    progress(`shop back ${restartMs} ms after the SIGKILL`);

    // Razorpay keeps retrying what was not acknowledged; wait until it has nothing left to send.
    const leaseOver = killedAt + LEASE_MS + 1_000 - Date.now();
    if (leaseOver > 0) await new Promise((r) => setTimeout(r, leaseOver));
    let events: SandboxEvent[] = [];
    const drainDeadline = Date.now() + 45_000;
    while (Date.now() < drainDeadline) {
      await sb('post', '/_sandbox/flush').send({ kinds: ['capture', 'delivery', 'retry'] });
      await new Promise((r) => setTimeout(r, 1_000));
      events = ((await sb('get', '/_sandbox/events')).body as { items: SandboxEvent[] }).items;
      if (events.length > 0 && events.every((e) => e.status === 'delivered')) break;
    }
    const undelivered = events.filter((e) => e.status !== 'delivered');
    const refusedWhileLeased = events.reduce(
      (n, e) => n + e.attempts.filter((a) => a.status === 409 || a.status === 503).length,
      0,
    );
    // What every delivery attempt got: an HTTP status, or the error when there was no answer.
    const outcomes: Record<string, number> = {};
    for (const a of events.flatMap((e) => e.attempts)) {
      const key = a.status === null ? (a.error ?? 'no answer').slice(0, 40) : String(a.status);
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }

    const asAdmin = (path: string) => http().get(path).set('Authorization', `Bearer ${admin}`);
    const details = await pool(orders, 6, async (o) => {
      const detail = (await asAdmin(`/api/admin/orders/${o.id}`).expect(200)).body as {
        status: string;
        history: { status: string }[];
      };
      const payments = (
        (await sb('get', `/v1/orders/${o.razorpayOrderId}/payments`).expect(200)).body as {
          items: { id: string; status: string }[];
        }
      ).items;
      return { id: o.id, detail, captured: payments.filter((p) => p.status === 'captured').length };
    });
    const notPaid = details.filter((d) => d.detail.status !== 'paid');
    const paidTwice = details.filter(
      (d) => d.detail.history.filter((h) => h.status === 'paid').length !== 1,
    );
    const stock = (
      (await http().get(`/api/products/${product.id}`).expect(200)).body as { stock: number }
    ).stock;
    const shopUnfinished = await Promise.all(
      ['processing', 'failed'].map(
        async (status) =>
          (
            (await asAdmin(`/api/admin/webhook-events?status=${status}&limit=100`).expect(200))
              .body as {
              total: number;
            }
          ).total,
      ),
    );
    process.stderr.write(
      `[crash] ${ORDERS} orders (placed in ${placedMs} ms), SIGKILL after ${KILL_AFTER} payments, ` +
        `back in ${restartMs} ms; ${events.length} events, delivery attempts ${JSON.stringify(outcomes)}, ` +
        `${refusedWhileLeased} refused while another delivery held the event; ` +
        `${notPaid.length} not paid, ${undelivered.length} undelivered; ${Date.now() - started} ms\n`,
    );

    expect(undelivered.map((e) => `${e.id} ${e.event} ${e.status}`)).toEqual([]);
    expect(shopUnfinished).toEqual([0, 0]);
    expect(details.every((d) => d.captured === 1)).toBe(true);
    expect(notPaid.map((d) => `${d.id} ${d.detail.status}`)).toEqual([]);
    expect(paidTwice.map((d) => d.id)).toEqual([]);
    // Stock: initial = available + held by pending orders (none) + sold (every order).
    expect(stock).toBe(initialStock - ORDERS);
  }, 240_000);
});
