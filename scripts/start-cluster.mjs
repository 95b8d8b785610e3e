// `npm run start:cluster -- --instances 3`: N API processes on one database (MONGODB_URI or the
// embedded FerretDB) behind a small round-robin proxy on PORT, with ONE standalone Razorpay
// sandbox that every instance talks to. The proxy sends /sandbox/razorpay to the sandbox and
// everything else to the next ready instance; an instance that exits is restarted.
// See docs/deploy.md. Options: --instances N (default 2), --no-build (use the existing build).
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './build-db.mjs';
import { ensureEverythingBuilt } from './lib/ensure-built.mjs';

const SANDBOX_PATH = '/sandbox/razorpay';
const RESTART_DELAY_MS = 500;
const READY_POLL_MS = 500;
const MAX_BODY_BYTES = 1024 * 1024;

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const instances = Number(option('instances') ?? process.env.SHOP_INSTANCES ?? 2);
if (!Number.isInteger(instances) || instances < 1 || instances > 32) {
  console.error('start:cluster: --instances must be a whole number from 1 to 32');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const mainJs = process.env.SHOP_MAIN_JS ?? join(repoRoot, 'dist/api/server/src/main.js');
const distRoot = join(mainJs, '../../..');
const log = (line) => console.log(`[cluster] ${line}`);

if (!args.includes('--no-build') && !process.env.SHOP_MAIN_JS) await ensureEverythingBuilt();
if (process.env.RAZORPAY_MODE !== 'live' && process.env.RAZORPAY_API_BASE_URL) {
  console.error(
    'start:cluster: RAZORPAY_API_BASE_URL is set by the cluster itself in sandbox mode; unset it',
  );
  process.exit(1);
}

// The database: MONGODB_URI, or one embedded FerretDB the instances share.
const require = createRequire(import.meta.url);
const launcher = require(join(distRoot, 'server/src/database/launcher/index.js'));
const database = await launcher.startDatabase({
  mode: process.env.SHOP_DB_MODE === 'ephemeral' ? 'ephemeral' : 'persistent',
  log,
});
const mongodbUri =
  database.kind === 'external' ? database.uri : launcher.withDatabaseName(database.uri, 'shop');

const children = new Set();
let stopping = false;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
    server.on('error', reject);
  });
}

function spawnLogged(name, argv, env) {
  const child = spawn(process.execPath, argv, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  return child;
}

// One sandbox for all instances (an in-process sandbox per instance would give each its own
// orders and payments). Its webhooks go through the proxy, like Razorpay's would.
let sandboxOrigin;
if (process.env.RAZORPAY_MODE !== 'live') {
  const sandboxPort = await freePort();
  sandboxOrigin = `http://127.0.0.1:${sandboxPort}`;
  const sandbox = spawnLogged('sandbox', [join(distRoot, 'sandbox/src/standalone.js')], {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_WEBHOOK_URL:
      process.env.SANDBOX_WEBHOOK_URL ?? `http://127.0.0.1:${port}/api/webhooks/razorpay`,
  });
  sandbox.once('exit', (code) => {
    if (!stopping) void shutdown(`the sandbox exited (${code})`, 1);
  });
}

/** @type {{ index: number, port: number, child?: import('node:child_process').ChildProcess, ready: boolean, served: number, starts: number }[]} */
const upstreams = [];

async function startInstance(upstream) {
  upstream.port = await freePort();
  upstream.ready = false;
  upstream.starts++;
  const child = spawnLogged(`api-${upstream.index}`, ['--enable-source-maps', mainJs], {
    PORT: String(upstream.port),
    MONGODB_URI: mongodbUri,
    SHOP_INSTANCE: String(upstream.index),
    // Readiness turns 503 this long before a SIGTERMed instance closes its listener: a few of
    // the proxy's polls, so no new request is sent to a socket about to close.
    SHUTDOWN_DELAY_MS: process.env.SHUTDOWN_DELAY_MS ?? String(3 * READY_POLL_MS),
    ...(sandboxOrigin ? { RAZORPAY_API_BASE_URL: `${sandboxOrigin}${SANDBOX_PATH}` } : {}),
  });
  upstream.child = child;
  log(`instance ${upstream.index} pid ${child.pid} port ${upstream.port}`);
  child.once('exit', (code, signal) => {
    upstream.ready = false;
    if (stopping) return;
    log(`instance ${upstream.index} exited (${signal ?? code}); restarting`);
    setTimeout(() => void startInstance(upstream), RESTART_DELAY_MS);
  });
}

for (let index = 1; index <= instances; index++) {
  const upstream = { index, port: 0, ready: false, served: 0, starts: 0 };
  upstreams.push(upstream);
  await startInstance(upstream);
}

// Readiness: an instance gets traffic once /api/health/ready answers 200, and stops getting it
// when it fails (database down for it, shutting down, killed).
const readyTimer = setInterval(() => {
  for (const upstream of upstreams) {
    fetch(`http://127.0.0.1:${upstream.port}/api/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    })
      .then((res) => (upstream.ready = res.status === 200))
      .catch(() => (upstream.ready = false));
  }
}, READY_POLL_MS);

let next = 0;
function pickUpstreams() {
  const ready = upstreams.filter((u) => u.ready);
  const pool = ready.length > 0 ? ready : upstreams;
  const start = next++ % pool.length;
  return [...pool.slice(start), ...pool.slice(0, start)];
}

function forward(req, res, body, target, onConnectError) {
  const upstreamReq = httpRequest(
    {
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: req.url,
      // A connection per request: a pooled one to an instance that is draining could be
      // closed under us, and a request that was sent cannot be replayed safely.
      agent: false,
      headers: {
        ...req.headers,
        // Appended, as load balancers do: the shop trusts loopback proxies and rate-limits by
        // the client address before them.
        'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress]
          .filter(Boolean)
          .join(', '),
        'x-forwarded-proto': 'http',
        'x-forwarded-host': req.headers.host ?? '',
      },
    },
    (upstreamRes) => {
      const headers = { ...upstreamRes.headers };
      if (target.index) headers['x-shop-instance'] = String(target.index);
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      upstreamRes.pipe(res);
      if (target.index) target.served++;
    },
  );
  upstreamReq.on('error', (error) => {
    // Nothing reached the instance (it is down or restarting): another one may take it. A reset
    // before any answer may have reached it, so only a request that is safe to repeat is resent.
    const safeToRepeat = req.method === 'GET' || req.method === 'HEAD';
    const retry = error.code === 'ECONNREFUSED' || (error.code === 'ECONNRESET' && safeToRepeat);
    if (!res.headersSent && retry) return onConnectError();
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: error.message }));
    } else res.destroy();
  });
  upstreamReq.end(body);
}

const proxy = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (sandboxOrigin && req.url?.startsWith(SANDBOX_PATH)) {
      const sandboxTarget = { index: 0, port: Number(new URL(sandboxOrigin).port) };
      return forward(req, res, body, sandboxTarget, () => {
        res.writeHead(502).end();
      });
    }
    const candidates = pickUpstreams();
    const attempt = (i) => {
      if (i >= candidates.length) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(
          JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'No instance' }),
        );
      }
      forward(req, res, body, candidates[i], () => {
        candidates[i].ready = false;
        attempt(i + 1);
      });
    };
    attempt(0);
  });
});
proxy.keepAliveTimeout = 5_000;
proxy.listen(port, '0.0.0.0', () => {
  log(`proxy on http://localhost:${port} -> ${instances} instance(s), database ${database.kind}`);
});

async function shutdown(reason, code = 0) {
  if (stopping) return;
  stopping = true;
  log(`stopping: ${reason}`);
  clearInterval(readyTimer);
  proxy.close();
  // SIGTERM: each instance finishes its in-flight requests and webhooks, then exits.
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, 15_000);
  await Promise.all(exits);
  clearTimeout(timer);
  await database.stop();
  log(`served per instance: ${upstreams.map((u) => `${u.index}=${u.served}`).join(' ')}`);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
