// Shared helpers for the benchmarks: a concurrency-limited HTTP load loop with per-request
// latencies, child-process management (the shop server, the embedded database), machine info and
// table printing. Plain Node, no dependencies beyond what the shop already ships.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Load loop

/** A keep-alive HTTP client for one host; `concurrency` sockets at most. */
export function httpClient(port, concurrency) {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: concurrency,
    maxFreeSockets: concurrency,
  });
  /**
   * Resolves { status, body (string), ms }; never rejects for HTTP statuses, only for socket errors.
   * A request written to a kept-alive socket that the server had just closed (ECONNRESET on a
   * reused socket) never reached the server; it is sent once more, as Node's docs recommend.
   */
  async function request(method, path, options = {}) {
    try {
      return await attempt(method, path, options);
    } catch (error) {
      if (error.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        resent++;
        return attempt(method, path, options);
      }
      throw error;
    }
  }
  let resent = 0;
  function attempt(method, path, { body, headers = {} } = {}) {
    return new Promise((resolveRequest, reject) => {
      const payload =
        body === undefined
          ? undefined
          : Buffer.isBuffer(body)
            ? body
            : Buffer.from(JSON.stringify(body));
      const started = process.hrtime.bigint();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': payload.length }
              : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolveRequest({
              status: res.statusCode,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (error) => {
        error.reusedSocket = req.reusedSocket;
        reject(error);
      });
      req.end(payload);
    });
  }
  return {
    request,
    close: () => agent.destroy(),
    get resent() {
      return resent;
    },
  };
}

/**
 * Sends `total` requests with at most `concurrency` in flight. `make(i)` returns
 * { method, path, body?, headers? }; it is called before the request's clock starts, so prepare
 * expensive inputs (signatures) ahead of time anyway. Socket errors count as status 0.
 */
export async function loadLoop({
  client,
  total,
  concurrency,
  make,
  keepBodies = false,
  maxSeconds = Infinity,
}) {
  const statuses = new Array(total);
  const latencies = new Float64Array(total);
  const bodies = keepBodies ? new Array(total) : null;
  const completedAt = new Float64Array(total);
  const errors = new Map();
  let next = 0;
  const t0 = process.hrtime.bigint();
  const deadline = Number.isFinite(maxSeconds) ? performance.now() + maxSeconds * 1000 : Infinity;
  async function worker() {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const { method, path, body, headers } = make(i);
      try {
        const res = await client.request(method, path, { body, headers });
        statuses[i] = res.status;
        latencies[i] = res.ms;
        if (bodies) bodies[i] = res.body;
      } catch (error) {
        statuses[i] = 0;
        latencies[i] = NaN;
        errors.set(
          error?.code ?? error?.message,
          (errors.get(error?.code ?? error?.message) ?? 0) + 1,
        );
        if (bodies) bodies[i] = String(error?.message ?? error);
      }
      completedAt[i] = Number(process.hrtime.bigint() - t0) / 1e9;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sent = Math.min(next, total); // fewer than total when maxSeconds stopped the run
  return summarise({
    socketErrors: Object.fromEntries(errors),
    statuses: statuses.slice(0, sent),
    latencies: latencies.slice(0, sent),
    bodies: bodies?.slice(0, sent) ?? null,
    completedAt: completedAt.slice(0, sent),
    seconds,
    total: sent,
    requested: total,
    concurrency,
  });
}

function summarise({
  socketErrors,
  statuses,
  latencies,
  bodies,
  completedAt,
  seconds,
  total,
  requested,
  concurrency,
}) {
  const byStatus = {};
  for (const s of statuses) byStatus[s] = (byStatus[s] ?? 0) + 1;
  const sorted = Array.from(latencies)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  // Throughput over time: requests completed in each quarter of the run (drift shows up here).
  const quarters = [0, 0, 0, 0];
  for (const t of completedAt) quarters[Math.min(3, Math.floor((t / seconds) * 4))]++;
  return {
    total,
    requested,
    truncated: total < requested,
    concurrency,
    seconds,
    rate: total / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    byStatus,
    socketErrors,
    quarterRates: quarters.map((n) => n / (seconds / 4)),
    statuses,
    bodies,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A small deterministic PRNG (mulberry32) so shuffles are reproducible between runs. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set();
let exitHookInstalled = false;

/** Kills every child this process started (by pid) when it exits, also on a crash or Ctrl-C. */
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const c of children) c.kill('SIGTERM');
      setTimeout(() => process.exit(130), 3000).unref();
      Promise.all([...children].map((c) => new Promise((r) => c.once('exit', r)))).then(() =>
        process.exit(130),
      );
    });
  }
}

/** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`). */
export async function stopChild(child, graceMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Path of the embedded database binary (builds it if db/ changed; that takes minutes). */
export async function databaseBinary() {
  const { ensureDatabaseBinary } = await import(join(repoRoot, 'scripts', 'build-db.mjs'));
  return ensureDatabaseBinary({ log: (line) => console.log(`  ${line}`) }).path;
}

/** Starts ferretdb-gate on a fresh temp dir; resolves { uri, child, stop } once it prints `ready`. */
export async function startDatabase() {
  const binary = await databaseBinary();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'bench-floor-db-'));
  const port = await freePort();
  const child = spawn(
    binary,
    [`--listen-addr=127.0.0.1:${port}`, `--data-dir=${dataDir}`, `--parent-pid=${process.pid}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  track(child);
  // Also when the bench is interrupted: no data directory is left behind.
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeDataDir);
  const stderr = [];
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const uri = await new Promise((resolveUri, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`database not ready in 30 s: ${stderr.slice(-5).join(' | ')}`)),
      30_000,
    );
    child.once('exit', (code) =>
      reject(new Error(`database exited (${code}): ${stderr.slice(-5).join(' | ')}`)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ready (mongodb:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolveUri(m[1]);
      }
    });
  }).catch(async (error) => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    uri,
    child,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const SERVER_MAIN = join(repoRoot, 'dist', 'api', 'server', 'src', 'main.js');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the API once when dist/ is missing (or when forced); warns when sources are newer. */
export function ensureServerBuild({ force = false } = {}) {
  if (force || !existsSync(SERVER_MAIN)) {
    console.log('  building the API (npx nest build)...');
    const r = spawnSync('npx', ['nest', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`nest build failed (exit ${r.status ?? r.signal})`);
  }
  const built = statSync(SERVER_MAIN).mtimeMs;
  const sources = Math.max(
    newestMtime(join(repoRoot, 'server', 'src')),
    newestMtime(join(repoRoot, 'sandbox', 'src')),
  );
  return { builtAt: new Date(built).toISOString(), stale: sources > built };
}

export const BENCH_ENV = {
  SHOP_DB_MODE: 'ephemeral',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_ORDERS_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RECONCILE_INTERVAL_SECONDS: '0',
  SEED_DEMO_PRODUCTS: 'false',
  ADMIN_EMAIL: 'bench@example.com',
  ADMIN_PASSWORD: 'bench-password-1',
  JWT_SECRET: 'bench-jwt-secret-0123456789',
};

/**
 * Starts the built shop (`node dist/api/server/src/main.js`) with its own ephemeral database and
 * waits for GET /api/health. Resolves { port, pid, child, dbUri, stop }.
 */
export async function startShop() {
  const port = await freePort();
  const env = { ...process.env, ...BENCH_ENV, PORT: String(port) };
  // The bench decides where the database lives; an inherited MONGODB_URI would bypass ephemeral mode.
  delete env.MONGODB_URI;
  // BENCH_CPU_PROF=<dir>: the shop writes a V8 CPU profile there when it exits (where time goes).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, SERVER_MAIN], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const output = [];
  const warnings = new Map(); // normalised warn/error message → count
  let dbUri = null;
  const onLine = (line) => {
    output.push(line);
    if (output.length > 200) output.shift();
    if (/"level":"(warn|error|fatal)"/.test(line) || /\b(WARN|ERROR)\b/.test(line)) {
      let key = line;
      try {
        const j = JSON.parse(line);
        const m = j.message;
        key =
          m && typeof m === 'object' && 'path' in m && 'status' in m
            ? `${j.level} ${j.context ?? ''}: ${m.method} ${m.path} answered HTTP_${m.status}`
            : `${j.level} ${j.context ?? ''}: ${typeof m === 'string' ? m.split('\n')[0] : JSON.stringify(m)}`;
      } catch {
        // not JSON: keep the raw line
      }
      key = key
        .replace(/[0-9a-f]{24}/g, '<id>')
        .replace(/\b(order|pay|evt)_\w+/g, '$1_<id>')
        .replace(/(?<![\w/])\d+(\.\d+)?(?!\w)/g, 'N')
        .replace(/HTTP_(\d+)/, '$1')
        .slice(0, 200);
      warnings.set(key, (warnings.get(key) ?? 0) + 1);
    }
    const m = /ready at (mongodb:\/\/\S+)/.exec(line);
    if (m) dbUri = m[1];
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const stop = () => stopChild(child, 15_000);
  const client = httpClient(port, 1);
  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the shop exited during start-up:\n${output.slice(-15).join('\n')}`);
      if (Date.now() > deadline)
        throw new Error(
          `the shop did not answer /api/health in 120 s:\n${output.slice(-15).join('\n')}`,
        );
      const ok = await client.request('GET', '/api/health').then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.close();
  }
  return {
    port,
    pid: child.pid,
    child,
    get dbUri() {
      return dbUri;
    },
    output,
    warnings,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements of processes and the machine

/** VmHWM (peak RSS) and VmRSS of a pid, in MB, from /proc. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return { peakMb: NaN, rssMb: NaN };
  }
}

/** Direct children of a pid (Linux /proc), e.g. the database the shop started. */
export function childPids(pid) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid)
        pids.push({
          pid: Number(entry),
          name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        });
    } catch {
      // raced with an exiting process
    }
  }
  return pids;
}

/** CPU seconds (user + system) a pid has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ=100)
  } catch {
    return NaN;
  }
}

/** Write and read commands the database has served so far (FerretDB's serverStatus counters). */
export async function commandCounts(db) {
  if (!db) return null;
  const status = await db.admin().command({ serverStatus: 1 });
  const commands = status.metrics?.commands ?? {};
  const total = (names) => names.reduce((sum, n) => sum + (commands[n]?.total ?? 0), 0);
  return {
    writes: total(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']),
    reads: total(['find', 'aggregate', 'count', 'distinct']),
    byCommand: Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, v.total])),
  };
}

/** The commands of `before`→`after` (commandCounts) per request. */
export function commandsPerRequest(before, after, requests) {
  if (!before || !after || requests === 0) return null;
  const diff = {};
  for (const [k, v] of Object.entries(after.byCommand)) {
    const d = v - (before.byCommand[k] ?? 0);
    if (d > 0 && k !== 'unknown' && k !== 'serverStatus') diff[k] = d;
  }
  return {
    writes: (after.writes - before.writes) / requests,
    reads: (after.reads - before.reads) / requests,
    byCommand: diff,
  };
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg(),
  };
}

export function printMachine(info = machineInfo()) {
  console.log(
    `machine: ${info.cores} cores (${info.cpu}), ${info.memoryGb.toFixed(1)} GB RAM, ${info.platform}, node ${info.node}, ` +
      `load avg ${info.loadavg.map((x) => x.toFixed(2)).join(' ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Output

export const fmt = {
  rate: (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a'),
  ms: (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : 'n/a'),
  ratio: (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a'),
  mb: (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a'),
};

/** Prints rows (arrays of strings) as an aligned table with a header row. */
export function printTable(header, rows) {
  const widths = header.map((h, i) =>
    Math.max(String(h).length, ...rows.map((r) => String(r[i] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function statusSummary(byStatus) {
  return Object.entries(byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s === '0' ? 'socket-error' : s}:${n}`)
    .join(' ');
}

export function tempDir(prefix) {
  return mkdtempSync(join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------------------------
// Razorpay webhook events

export const WEBHOOK_SECRET = 'sandbox_webhook_secret';
/** The sandbox's default API key (sandbox/src/defaults.ts), which the bench's shop runs with. */
export const SANDBOX_KEY = { id: 'rzp_test_SandboxKey0001', secret: 'sandbox_key_secret' };

/**
 * A signed Razorpay delivery for one order, as Razorpay sends it for a UPI payment:
 * type 'payment.authorized' | 'payment.captured' | 'order.paid'. Returns { id, type, raw, headers }.
 */
export function signedPaymentEvent({
  eventId,
  type,
  paymentId,
  razorpayOrderId,
  amount,
  createdAt,
}) {
  const captured = type !== 'payment.authorized';
  const payment = {
    id: paymentId,
    entity: 'payment',
    amount,
    currency: 'INR',
    status: captured ? 'captured' : 'authorized',
    order_id: razorpayOrderId,
    method: 'upi',
    captured,
    amount_refunded: 0,
    refund_status: null,
    error_code: null,
    error_description: null,
    created_at: createdAt,
  };
  const payload = { payment: { entity: payment } };
  if (type === 'order.paid') {
    payload.order = {
      entity: {
        id: razorpayOrderId,
        entity: 'order',
        amount,
        amount_paid: amount,
        amount_due: 0,
        currency: 'INR',
        status: 'paid',
        attempts: 1,
        created_at: createdAt,
      },
    };
  }
  const envelope = {
    entity: 'event',
    account_id: 'acc_BenchAccount01',
    event: type,
    contains: Object.keys(payload),
    payload,
    created_at: createdAt,
  };
  const raw = Buffer.from(JSON.stringify(envelope));
  return {
    id: eventId,
    type,
    raw,
    headers: {
      'x-razorpay-event-id': eventId,
      'x-razorpay-signature': createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex'),
    },
  };
}

/** What Razorpay sends for every paid order of a captured UPI payment, each with its own id. */
export const EVENT_TYPES = ['payment.authorized', 'payment.captured', 'order.paid'];

/**
 * The webhook benches' deliveries: EVENT_TYPES for each target order (`makeEvent(order, type, n)`),
 * then re-sends of random ones up to `total`, all shuffled by `random`.
 */
export function planDeliveries(targets, makeEvent, total, random) {
  const unique = targets.flatMap((order) =>
    EVENT_TYPES.map((type, n) => ({ order, event: makeEvent(order, type, n) })),
  );
  const duplicates = Array.from(
    { length: total - unique.length },
    () => unique[Math.floor(random() * unique.length)],
  );
  return { unique, duplicates, deliveries: shuffle([...unique, ...duplicates], random) };
}
