// Floor benchmark: peak deliveries/s of a bare node:http server doing one insert + one update per
// POST against a fresh embedded database (ferretdb-gate, write gate on, exactly as the shop runs
// it), driven by the same load loop and concurrency as the webhook benchmark. Every shop figure is
// reported as a ratio to this floor measured in the same run, so the machine's speed cancels out.
//
//   node bench/floor.mjs [--json <file>]      (scripts/bench.mjs runs it before and after the API bench)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  cpuSecondsOf,
  fmt,
  httpClient,
  loadLoop,
  memoryOf,
  printMachine,
  printTable,
  repoRoot,
  signedPaymentEvent,
  startDatabase,
  statusSummary,
  stopChild,
} from './lib.mjs';

export const FLOOR_DEFAULTS = {
  total: Number(process.env.BENCH_EVENTS ?? 5_000),
  warmup: 200,
  concurrency: 32,
  maxSeconds: Number(process.env.BENCH_MAX_PHASE_SECONDS ?? 60),
};

/** Starts a fresh database and the bare server, measures, stops both. */
export async function measureFloor(
  { total, warmup, concurrency, maxSeconds } = FLOOR_DEFAULTS,
  label = 'floor',
) {
  const db = await startDatabase();
  let server;
  let client;
  try {
    server = spawn(process.execPath, [join(repoRoot, 'bench', 'floor-server.mjs'), db.uri], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise((resolvePort, reject) => {
      const timer = setTimeout(
        () => reject(new Error('floor server did not start in 30 s')),
        30_000,
      );
      server.once('exit', (code) => reject(new Error(`floor server exited (${code})`)));
      createInterface({ input: server.stdout }).on('line', (line) => {
        const m = /^listening (\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      });
    });
    client = httpClient(port, concurrency);

    // The same bodies as the webhook benchmark (payment.captured, ~600 bytes), all unique ids.
    const now = Math.floor(Date.now() / 1000);
    const events = [];
    for (let i = 0; i < warmup + total; i++) {
      events.push(
        signedPaymentEvent({
          eventId: `evt_floor${label}${i}`,
          type: 'payment.captured',
          paymentId: `pay_floor${i}`,
          razorpayOrderId: `order_floor${i}`,
          amount: 49_900,
          createdAt: now,
        }),
      );
    }
    const request = (e) => ({
      method: 'POST',
      path: '/deliveries',
      body: e.raw,
      headers: e.headers,
    });
    await loadLoop({ client, total: warmup, concurrency, make: (i) => request(events[i]) });
    const cpu0 = {
      server: cpuSecondsOf(server.pid),
      db: cpuSecondsOf(db.child.pid),
      self: process.cpuUsage(),
    };
    const result = await loadLoop({
      client,
      total,
      concurrency,
      maxSeconds,
      make: (i) => request(events[warmup + i]),
    });
    const cpu = {
      server: cpuSecondsOf(server.pid) - cpu0.server,
      db: cpuSecondsOf(db.child.pid) - cpu0.db,
      client: (() => {
        const u = process.cpuUsage(cpu0.self);
        return (u.user + u.system) / 1e6;
      })(),
    };
    const ok = result.byStatus[200] ?? 0;
    if (ok !== result.total)
      throw new Error(
        `floor: ${result.total - ok} of ${result.total} deliveries failed (${statusSummary(result.byStatus)})`,
      );
    return {
      label,
      ...strip(result),
      cpuSeconds: cpu,
      serverMemory: memoryOf(server.pid),
      dbMemory: memoryOf(db.child.pid),
    };
  } finally {
    client?.close();
    await stopChild(server);
    await db.stop();
  }
}

function strip({ statuses: _statuses, bodies: _bodies, ...rest }) {
  return rest;
}

export function printFloor(floor) {
  printTable(
    ['bench', 'requests', 'conc', 'seconds', 'req/s', 'p50 ms', 'p99 ms', 'statuses'],
    [
      [
        `${floor.label}: bare http + 1 insert + 1 update`,
        floor.truncated ? `${floor.total} of ${floor.requested} (time cap)` : floor.total,
        floor.concurrency,
        floor.seconds.toFixed(2),
        fmt.rate(floor.rate),
        fmt.ms(floor.p50),
        fmt.ms(floor.p99),
        statusSummary(floor.byStatus),
      ],
    ],
  );
  console.log(
    `  per-quarter req/s: ${floor.quarterRates.map(fmt.rate).join(' / ')}; CPU s: server ${floor.cpuSeconds.server.toFixed(1)}, ` +
      `db ${floor.cpuSeconds.db.toFixed(1)}, load client ${floor.cpuSeconds.client.toFixed(1)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const jsonAt = process.argv.indexOf('--json');
  const label = process.argv.includes('--label')
    ? process.argv[process.argv.indexOf('--label') + 1]
    : 'floor';
  printMachine();
  const floor = await measureFloor(FLOOR_DEFAULTS, label);
  printFloor(floor);
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(floor, null, 2));
}
