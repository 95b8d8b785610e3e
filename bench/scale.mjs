// Scale benchmark (issue 12): what each request costs as history grows. One shop (built server,
// ephemeral embedded database, sandbox Razorpay) is filled step by step with `seed:history`
// (0 → 1,000 → 10,000 → 100,000 orders, each with its payments, refunds and webhook events), and
// at every size each path is timed as the median of repeated single requests (one at a time, so
// the figure is the request's own cost), beside the same path on the empty database and a floor
// measured in the same run (bench/floor.mjs at concurrency 1: bare HTTP + one insert + one update).
// Database commands per request are counted at the database: FerretDB's own serverStatus
// counters (metrics.commands), read before and after each path's requests.
//
//   npm run bench:scale [-- --sizes 0,1000,10000,100000] [--reps 11] [--budget 40] [--json <file>]
//
// Named scale.mjs, not *.bench.mjs, so that `npm run bench` (every bench/*.bench.mjs) does not run it.
//
// --reps: timed requests per path (after one untimed warm-up); --budget: seconds per path at most
// (a path that slow stops early and says how many requests it got).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { runSeedHistory } from '../scripts/seed-history.mjs';
import { measureFloor } from './floor.mjs';
import {
  childPids,
  ensureServerBuild,
  fmt,
  httpClient,
  machineInfo,
  memoryOf,
  percentile,
  printMachine,
  printTable,
  repoRoot,
  signedPaymentEvent,
  startShop,
} from './lib.mjs';

const require = createRequire(import.meta.url);

const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const SHOPPER = {
  name: 'Scale Shopper',
  email: 'scale.shopper@example.com',
  contact: '+919812345678',
};
const SHOPPER_PASSWORD = 'scale-password-1';

function args(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  return {
    sizes: get('--sizes', process.env.BENCH_SCALE_SIZES ?? '0,1000,10000,100000')
      .split(',')
      .map((s) => Number(s.replace(/_/g, '')))
      .sort((a, b) => a - b),
    reps: Number(get('--reps', 11)),
    budget: Number(get('--budget', 40)),
    reconcileRuns: Number(get('--reconcile-runs', 3)),
    json: get('--json', null),
  };
}

/** Write and read commands the database has served so far (FerretDB's serverStatus counters). */
async function commandCounts(db) {
  const status = await db.admin().command({ serverStatus: 1 });
  const commands = status.metrics?.commands ?? {};
  const out = {};
  for (const [name, v] of Object.entries(commands)) out[name] = v.total ?? 0;
  return out;
}
const WRITES = ['insert', 'update', 'delete', 'findAndModify', 'findandmodify'];
const READS = ['find', 'aggregate', 'count', 'distinct', 'getMore'];
function perRequest(before, after, n) {
  const diff = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0 && k !== 'serverStatus' && k !== 'unknown') diff[k] = d;
  }
  const sum = (names) => names.reduce((s, k) => s + (diff[k] ?? 0), 0);
  return { writes: sum(WRITES) / n, reads: sum(READS) / n, byCommand: diff };
}

function withDb(uri, name) {
  const u = new URL(uri);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Seeds `orders` more orders into the shop's database; resolves the tool's JSON summary. */
function seed(dbUri, orders, seedNumber) {
  return new Promise((resolveSeed, reject) => {
    const child = runSeedHistory(
      ['--orders', String(orders), '--seed', String(seedNumber), '--json'],
      {
        env: { ...process.env, MONGODB_URI: dbUri },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let last = '';
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('{')) last = l;
    });
    const errors = [];
    createInterface({ input: child.stderr }).on('line', (l) => {
      errors.push(l);
      if (/orders: \d+ of|orders in/.test(l)) console.log(`    ${l}`);
    });
    child.on('exit', (code) =>
      code === 0 && last
        ? resolveSeed(JSON.parse(last))
        : reject(new Error(`seed:history exited ${code}: ${errors.slice(-5).join(' | ')}`)),
    );
  });
}

/** Reconciler cycles timed in an app context of their own on the same database. */
function reconcileCycles(dbUri, runs) {
  return new Promise((resolveRuns, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        require.resolve('ts-node/register/transpile-only'),
        join(repoRoot, 'server', 'src', 'tools', 'reconcile-cycle.ts'),
        '--runs',
        String(runs),
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          MONGODB_URI: dbUri,
          TS_NODE_PROJECT: join(repoRoot, 'server', 'tsconfig.json'),
          LOG_LEVEL: 'error',
          SEED_DEMO_PRODUCTS: 'false',
          RECONCILE_INTERVAL_SECONDS: '0',
          ADMIN_EMAIL: 'bench@example.com',
          ADMIN_PASSWORD: 'bench-password-1',
          JWT_SECRET: 'bench-jwt-secret-0123456789',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let result = null;
    const errors = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('{"ms"')) result = JSON.parse(l);
    });
    createInterface({ input: child.stderr }).on('line', (l) => errors.push(l));
    child.on('exit', (code) =>
      code === 0 && result
        ? resolveRuns(result)
        : reject(new Error(`reconcile-cycle exited ${code}: ${errors.slice(-5).join(' | ')}`)),
    );
  });
}

/** Times `reps` sequential requests (after one untimed warm-up) within `budget` seconds. */
async function timePath(
  ctx,
  make,
  { reps, budget, warmup = true, expect = (s) => s < 300, onResponse },
) {
  const { client, db } = ctx;
  const statuses = {};
  const send = async (i) => {
    const { method, path, body, headers } = await make(i);
    const res = await client.request(method, path, { body, headers });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (expect(res.status)) onResponse?.(res);
    else if (!failure) failure = `${res.status}: ${res.body.slice(0, 160)}`;
    return res;
  };
  let failure = null;
  let first = null;
  if (warmup) first = await send(-1);
  const before = await commandCounts(db);
  const deadline = performance.now() + budget * 1000;
  const ms = [];
  let failed = 0;
  for (let i = 0; i < reps && (i === 0 || performance.now() < deadline); i++) {
    const res = await send(i);
    if (expect(res.status)) ms.push(res.ms);
    else failed++;
  }
  const after = await commandCounts(db);
  const sorted = [...ms].sort((a, b) => a - b);
  // A request that outlived the driver's socket timeout made the shop answer 503 for a moment
  // (database marked unavailable): wait until it is ready again, so the next path is not hit.
  if (failed > 0 || (first && !expect(first.status))) await waitUntilReady(client);
  return {
    n: ms.length,
    failed,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    max: sorted.at(-1),
    first: first?.ms ?? null,
    statuses,
    failure,
    ...perRequest(before, after, ms.length + failed),
  };
}

async function waitUntilReady(client, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const res = await client.request('GET', '/api/health/ready').catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  const options = args(process.argv.slice(2));
  const build = ensureServerBuild();
  printMachine();
  console.log(
    `server build: dist/api/server/src/main.js from ${build.builtAt}${build.stale ? ' (WARNING: server/src is newer; run `npx nest build`)' : ''}`,
  );
  console.log(`sizes: ${options.sizes.join(', ')} orders; ${options.reps} requests per path\n`);

  console.log('[floor] bare HTTP + 1 insert + 1 update, one request at a time...');
  const floor = await measureFloor(
    { total: 300, warmup: 30, concurrency: 1, maxSeconds: 30 },
    'scale',
  );
  console.log(`  floor p50 ${fmt.ms(floor.p50)} ms, p99 ${fmt.ms(floor.p99)} ms\n`);

  process.env.METRICS_TOKEN = METRICS_TOKEN;
  const shop = await startShop();
  const client = httpClient(shop.port, 1);
  const dbUri = withDb(shop.dbUri, 'shop');
  const connection = await mongoose
    .createConnection(dbUri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  const dbPid = childPids(shop.pid).find((c) => c.name.startsWith('ferretdb'))?.pid;
  const ctx = { client, db: connection.db };
  const results = { machine: machineInfo(), build, floor: strip(floor), options, sizes: [] };

  const json = async (method, path, body, headers = {}) => {
    const res = await client.request(method, path, { body, headers });
    if (res.status >= 300)
      throw new Error(`${method} ${path} → ${res.status}: ${res.body.slice(0, 300)}`);
    return JSON.parse(res.body);
  };
  try {
    const { accessToken: adminToken } = await json('POST', '/api/auth/login', {
      email: 'bench@example.com',
      password: 'bench-password-1',
    });
    const admin = { authorization: `Bearer ${adminToken}` };
    const product = await json(
      'POST',
      '/api/products',
      { name: 'Scale tee', price: 49_900, stock: 10_000_000, description: 'Scale benchmark' },
      admin,
    );
    await json('POST', '/api/auth/register', {
      name: SHOPPER.name,
      email: SHOPPER.email,
      password: SHOPPER_PASSWORD,
    });

    let stored = 0;
    let latestSeed = null;
    let seedNumber = 1;
    for (const size of options.sizes) {
      if (size > stored) {
        console.log(`[seed] ${size - stored} orders (to ${size})...`);
        const t0 = performance.now();
        latestSeed = await seed(dbUri, size - stored, seedNumber++);
        console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        stored = size;
      }
      const load = machineInfo().loadavg;
      console.log(`\n[size ${size}] load avg ${load.map((x) => x.toFixed(2)).join(' ')}`);

      // The shopper: the busiest seeded user (several orders), or our own on the empty database.
      const email = latestSeed?.busiestUser.email ?? SHOPPER.email;
      const password = latestSeed ? latestSeed.users.password : SHOPPER_PASSWORD;
      const { accessToken } = await json('POST', '/api/auth/login', { email, password });
      const me = { authorization: `Bearer ${accessToken}` };
      const purchaseProduct = latestSeed?.busiestUser.purchasedProductId ?? product.id;
      // Targets straight from the database (untimed): one of the shopper's orders, a refunded order.
      const orders = connection.db.collection('orders');
      const user = await connection.db.collection('users').findOne({ email });
      const mine = user && (await orders.findOne({ userId: user._id }));
      const myFirst = mine && { id: String(mine._id) };
      const detail = (await orders.findOne({ status: 'refunded' })) ?? (await orders.findOne({}));
      const detailTarget = detail && { id: String(detail._id) };
      const day = 24 * 3600_000;
      const from = new Date(Date.now() - 31 * day).toISOString();
      const to = new Date(Date.now() - 30 * day).toISOString();
      const placed = [];
      let key = 0;

      const paths = [
        [
          'purchase check',
          () => ({ method: 'GET', path: `/api/me/purchases/${purchaseProduct}`, headers: me }),
        ],
        [
          'my orders (page 1)',
          () => ({ method: 'GET', path: '/api/me/orders?limit=20', headers: me }),
        ],
        ...(myFirst
          ? [
              [
                'get my order',
                () => ({ method: 'GET', path: `/api/orders/${myFirst.id}`, headers: me }),
              ],
            ]
          : []),
        [
          'place an order',
          () => ({
            method: 'POST',
            path: '/api/orders',
            headers: { ...me, 'idempotency-key': `scale-${size}-${key++}-${process.pid}` },
            body: {
              items: [{ productId: product.id, quantity: 1 }],
              customer: { name: 'Scale Shopper', email, contact: SHOPPER.contact },
            },
          }),
          { expect: (s) => s === 201, keep: placed },
        ],
        [
          'webhook payment.captured',
          (i) => {
            if (placed.length === 0) throw new Error('no order was placed');
            const order = placed[(i + 1) % placed.length]; // warm-up is i = -1
            const event = signedPaymentEvent({
              eventId: `evt_scale_${size}_${i + 1}_${process.pid}`,
              type: 'payment.captured',
              paymentId: `pay_S${order.id.slice(-12)}${i + 1}`,
              razorpayOrderId: order.razorpayOrderId,
              amount: order.amount,
              createdAt: Math.floor(Date.now() / 1000),
            });
            return {
              method: 'POST',
              path: '/api/webhooks/razorpay',
              body: event.raw,
              headers: event.headers,
            };
          },
        ],
        ['product list', () => ({ method: 'GET', path: '/api/products' })],
        ['product detail', () => ({ method: 'GET', path: `/api/products/${product.id}` })],
        [
          'admin orders (page 1)',
          () => ({ method: 'GET', path: '/api/admin/orders?limit=20', headers: admin }),
        ],
        [
          'admin ?status=paid',
          () => ({ method: 'GET', path: '/api/admin/orders?status=paid&limit=20', headers: admin }),
        ],
        [
          'admin ?email=',
          () => ({
            method: 'GET',
            path: `/api/admin/orders?email=${encodeURIComponent(email)}&limit=20`,
            headers: admin,
          }),
        ],
        [
          'admin by date (1 day)',
          () => ({
            method: 'GET',
            path: `/api/admin/orders?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=20`,
            headers: admin,
          }),
        ],
        ...(detailTarget
          ? [
              [
                'admin order detail',
                () => ({
                  method: 'GET',
                  path: `/api/admin/orders/${detailTarget.id}`,
                  headers: admin,
                }),
              ],
            ]
          : []),
        [
          'webhook-event list',
          () => ({ method: 'GET', path: '/api/admin/webhook-events?limit=20', headers: admin }),
        ],
        [
          '/api/metrics',
          () => ({
            method: 'GET',
            path: '/api/metrics',
            headers: { authorization: `Bearer ${METRICS_TOKEN}` },
          }),
        ],
      ];

      const row = { size, loadavg: load, paths: {} };
      for (const [name, make, extra = {}] of paths) {
        let result;
        try {
          result = await timePath(ctx, make, {
            reps: options.reps,
            budget: options.budget,
            expect: extra.expect,
            onResponse: extra.keep && ((res) => extra.keep.push(JSON.parse(res.body))),
          });
        } catch (error) {
          console.log(`  ${name.padEnd(26)} not measured: ${error.message}`);
          continue;
        }
        row.paths[name] = result;
        const statuses = Object.entries(result.statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ');
        console.log(
          `  ${name.padEnd(26)} median ${fmt.ms(result.median).padStart(6)} ms  p90 ${fmt.ms(result.p90).padStart(6)}  n=${result.n}${result.failed ? ` (+${result.failed} failed)` : ''}` +
            `  writes/req ${result.writes.toFixed(2)}  reads/req ${result.reads.toFixed(2)}  [${statuses}]` +
            (name === '/api/metrics'
              ? `  (first, counting scrape: ${fmt.ms(result.first)} ms)`
              : '') +
            (result.failure ? `  FAILED: ${result.failure}` : ''),
        );
      }
      try {
        const cycles = await reconcileCycles(dbUri, options.reconcileRuns);
        const sorted = [...cycles.ms].sort((a, b) => a - b);
        row.paths['reconciler cycle'] = {
          n: sorted.length,
          median: percentile(sorted, 50),
          p90: sorted.at(-1),
          runs: cycles.runs,
        };
        console.log(
          `  ${'reconciler cycle'.padEnd(26)} median ${fmt.ms(percentile(sorted, 50)).padStart(6)} ms  (${cycles.ms.map(fmt.ms).join(', ')})`,
        );
        // Where the last cycle's time went (ReconcileRun.stepMs), slowest parts first.
        const steps = Object.entries(cycles.runs.at(-1)?.stepMs ?? {}).sort((a, b) => b[1] - a[1]);
        console.log(`    last cycle by step: ${steps.map(([k, v]) => `${k} ${v}`).join(', ')} ms`);
      } catch (error) {
        console.log(`  reconciler cycle: ${error.message}`);
      }
      row.memory = { server: memoryOf(shop.pid), db: dbPid ? memoryOf(dbPid) : null };
      row.documents = {};
      for (const c of ['orders', 'payments', 'refunds', 'webhook_events', 'users']) {
        row.documents[c] = await connection.db
          .collection(c)
          .estimatedDocumentCount()
          .catch(() => null); // the database may still be busy with abandoned scans
      }
      results.sizes.push(row);
    }
  } finally {
    client.close();
    await connection.close().catch(() => undefined);
    await shop.stop();
  }

  // --- summary table ------------------------------------------------------------------------
  const empty = results.sizes.find((s) => s.size === 0) ?? results.sizes[0];
  const names = Object.keys(results.sizes.at(-1).paths);
  console.log(
    `\nmedian ms of single requests (floor p50 ${fmt.ms(floor.p50)} ms); × = ratio to the empty database`,
  );
  printTable(
    [
      'path',
      ...results.sizes.map((s) => `${s.size.toLocaleString('en-US')} orders`),
      'writes/req (last)',
    ],
    names.map((name) => [
      name,
      ...results.sizes.map((s) => {
        const m = s.paths[name]?.median;
        const e = empty.paths[name]?.median;
        const failed = s.paths[name]?.failed ?? 0;
        if (failed > 0)
          return s.paths[name].n === 0
            ? `failed ×${failed} (${Object.keys(s.paths[name].statuses).join('/')})`
            : `${fmt.ms(m)}, ${failed} of ${failed + s.paths[name].n} failed`;
        return Number.isFinite(m)
          ? s === empty || !Number.isFinite(e)
            ? fmt.ms(m)
            : `${fmt.ms(m)} (${(m / e).toFixed(1)}×)`
          : 'n/a';
      }),
      Number.isFinite(results.sizes.at(-1).paths[name]?.writes)
        ? results.sizes.at(-1).paths[name].writes.toFixed(2)
        : '',
    ]),
  );
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
}

function strip({ statuses: _s, bodies: _b, ...rest }) {
  return rest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`bench:scale failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
