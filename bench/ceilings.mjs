// `npm run bench:ceilings`: what the shop's required work allows on this machine, beside the floor
// measured in the same run. bench/ceiling-server.mjs runs order placement, the flash sale and
// webhook ingest with nothing but the database commands the shop's design needs (no framework),
// under the sizes, load and concurrency of bench/api.bench.mjs. Each row adds one required part,
// so its price shows. The shop (npm run bench) does all of it and more per request, so its ratio
// is not to be expected above the last row's (docs/benchmarks.md "Ceilings").
//
//   node bench/ceilings.mjs [--json <file>]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { CUSTOMER, SIZES } from './api.bench.mjs';
import { FLOOR_DEFAULTS, measureFloor } from './floor.mjs';
import {
  commandCounts,
  commandsPerRequest,
  cpuSecondsOf,
  EVENT_TYPES,
  fmt,
  freePort,
  httpClient,
  loadLoop,
  planDeliveries,
  printMachine,
  printTable,
  prng,
  repoRoot,
  signedPaymentEvent,
  startDatabase,
  statusSummary,
  stopChild,
} from './lib.mjs';

const SERVER = join(repoRoot, 'bench', 'ceiling-server.mjs');
const WARMUP = 200;

const PLACEMENT = [
  ['order read + decrement + insert + Razorpay call', {}],
  ['+ the shop’s declared indexes', { indexes: true }],
  ['+ crash-safe stock markers', { indexes: true, markers: true }],
];
const WEBHOOKS = [
  ['signature + order read + claim + move to paid + finish', {}],
  ['+ the shop’s declared indexes', { indexes: true }],
  ['+ payment snapshot + mail outbox', { indexes: true, records: true }],
];

function startChild(args, pattern) {
  const child = spawn(process.execPath, [SERVER, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`${SERVER} did not start in 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${SERVER} exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = pattern.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolveStart(m[1] && Number(m[1]));
    });
  });
  return { child, ready };
}

/** One variant on a fresh database: `run(ctx)` gets a client and a `timed` phase runner. */
async function withVariant(razorpayPort, options, concurrency, run) {
  const db = await startDatabase();
  const server = startChild(
    [db.uri, String(razorpayPort), JSON.stringify(options)],
    /^listening (\d+)/,
  );
  const connection = await mongoose
    .createConnection(db.uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  const client = httpClient(await server.ready, concurrency);
  const json = async (path, body) =>
    JSON.parse((await client.request('POST', path, { body })).body);
  const timed = async (loadOptions) => {
    const cpu0 = { server: cpuSecondsOf(server.child.pid), db: cpuSecondsOf(db.child.pid) };
    const commands0 = await commandCounts(connection.db);
    const result = await loadLoop({ client, maxSeconds: SIZES.maxSeconds, ...loadOptions });
    const commands1 = await commandCounts(connection.db);
    const { statuses: _s, bodies: _b, ...summary } = result;
    return {
      ...summary,
      cpuMsPerRequest: {
        server: ((cpuSecondsOf(server.child.pid) - cpu0.server) * 1000) / result.total,
        db: ((cpuSecondsOf(db.child.pid) - cpu0.db) * 1000) / result.total,
      },
      dbCommands: commandsPerRequest(commands0, commands1, result.total),
    };
  };
  try {
    return await run({ client, json, timed });
  } finally {
    client.close();
    await connection.close();
    await stopChild(server.child);
    await db.stop();
  }
}

const orderRequest = (productId) => {
  const body = Buffer.from(
    JSON.stringify({ items: [{ productId, quantity: 1 }], customer: CUSTOMER }),
  );
  return () => ({ method: 'POST', path: '/api/orders', body });
};

async function placementRows(razorpayPort) {
  const rows = [];
  for (const [label, options] of PLACEMENT) {
    await withVariant(razorpayPort, options, SIZES.flashConcurrency, async ({ json, timed }) => {
      const product = await json('/products', { stock: 10_000_000 });
      const make = orderRequest(product.id);
      await timed({ total: WARMUP, concurrency: 10, make });
      rows.push({
        path: 'order placement',
        label,
        ...(await timed({ total: SIZES.orders, concurrency: SIZES.orderConcurrency, make })),
      });
      if (!options.markers) return;
      const flash = await json('/products', { stock: SIZES.flashStock });
      rows.push({
        path: 'flash sale',
        label: `${label} (${SIZES.flashStock} units)`,
        ...(await timed({
          total: SIZES.flashRequests,
          concurrency: SIZES.flashConcurrency,
          make: orderRequest(flash.id),
        })),
      });
    });
  }
  return rows;
}

async function webhookRows(razorpayPort) {
  const rows = [];
  const ordersNeeded = Math.ceil((SIZES.events * (1 - SIZES.duplicateShare)) / EVENT_TYPES.length);
  for (const [label, options] of WEBHOOKS) {
    await withVariant(
      razorpayPort,
      options,
      SIZES.orderConcurrency,
      async ({ client, json, timed }) => {
        const product = await json('/products', { stock: 10_000_000 });
        const placed = await loadLoop({
          client,
          total: ordersNeeded,
          concurrency: SIZES.orderConcurrency,
          make: orderRequest(product.id),
          keepBodies: true,
        });
        const targets = placed.bodies.map((b) => JSON.parse(b));
        const now = Math.floor(Date.now() / 1000);
        const { deliveries } = planDeliveries(
          targets,
          (order, type, n) =>
            signedPaymentEvent({
              eventId: `evt_ceiling_${order.id}_${n}`,
              type,
              paymentId: `pay_ceiling${order.id.slice(-12)}`,
              razorpayOrderId: order.razorpayOrderId,
              amount: order.amount,
              createdAt: now,
            }),
          SIZES.events,
          prng(20260101),
        );
        rows.push({
          path: 'webhook ingest',
          label,
          ...(await timed({
            total: deliveries.length,
            concurrency: SIZES.eventConcurrency,
            make: (i) => ({
              method: 'POST',
              path: '/api/webhooks/razorpay',
              body: deliveries[i].event.raw,
              headers: deliveries[i].event.headers,
            }),
          })),
        });
      },
    );
  }
  return rows;
}

printMachine();
console.log('measuring the floor...');
const floor = await measureFloor(FLOOR_DEFAULTS);
const razorpayPort = await freePort();
const razorpay = startChild(['--razorpay-stand-in', String(razorpayPort)], /^listening$/);
await razorpay.ready;
let rows;
try {
  console.log('placement and flash sale (3 variants), then webhook ingest (3 variants)...');
  rows = [...(await placementRows(razorpayPort)), ...(await webhookRows(razorpayPort))];
} finally {
  await stopChild(razorpay.child);
}

console.log(
  '\n== What the required work allows (bare node:http; ratios to the floor of this run) ==',
);
printTable(
  [
    'path',
    'work per request',
    'rate',
    'vs floor',
    'p50 ms',
    'p99 ms',
    'CPU ms server/db',
    'writes',
    'statuses',
  ],
  [
    [
      'floor',
      'bare http + 1 insert + 1 update',
      fmt.rate(floor.rate),
      '1.00x',
      fmt.ms(floor.p50),
      fmt.ms(floor.p99),
      `${((floor.cpuSeconds.server * 1000) / floor.total).toFixed(2)} / ${((floor.cpuSeconds.db * 1000) / floor.total).toFixed(2)}`,
      '2.00',
      statusSummary(floor.byStatus),
    ],
    ...rows.map((r) => [
      r.path,
      r.label,
      fmt.rate(r.rate),
      fmt.ratio(r.rate / floor.rate),
      fmt.ms(r.p50),
      fmt.ms(r.p99),
      `${r.cpuMsPerRequest.server.toFixed(2)} / ${r.cpuMsPerRequest.db.toFixed(2)}`,
      r.dbCommands ? r.dbCommands.writes.toFixed(2) : '?',
      statusSummary(r.byStatus),
    ]),
  ],
);
const jsonFile = process.argv.includes('--json')
  ? process.argv[process.argv.indexOf('--json') + 1]
  : undefined;
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ floor, rows }, null, 2));
process.exit(0);
