#!/usr/bin/env node
// Browser end-to-end tests for the storefront.
//
//   node scripts/browser-tests.mjs            full stack: `node scripts/start.mjs` on a free port, ephemeral DB
//   node scripts/browser-tests.mjs --mock     in-memory stand-in for API + sandbox (client/e2e/support/mock-stack.mjs)
//   E2E_BASE_URL=http://127.0.0.1:3000 node scripts/browser-tests.mjs   against something already running
//
// Needs a built storefront (dist/client/browser; `npm run build:client`) and Chromium at /usr/bin/chromium
// (`apt-get install -y chromium`, or CHROMIUM_PATH). Screenshots go to test-artifacts/screenshots/.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const useMock = args.includes('--mock');
const only = args.filter((a) => !a.startsWith('--'));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function fail(message) {
  console.error(`browser-tests: ${message}`);
  process.exit(1);
}

if (!existsSync(chromium))
  fail(
    `Chromium not found at ${chromium}. Install it: apt-get update && apt-get install -y chromium`,
  );
if (!existsSync(join(root, 'dist/client/browser/index.csr.html')) && !process.env.E2E_BASE_URL)
  fail('no storefront build in dist/client/browser. Run: npm run build:client');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(
  base,
  child,
  timeoutMs = Number(process.env.E2E_START_TIMEOUT ?? 600_000),
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      fail(`the stack exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`${base}/api/health did not answer 200 within ${timeoutMs / 1000}s`);
}

let base = process.env.E2E_BASE_URL;
let stop = async () => {};

if (!base) {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const startScript = join(root, 'scripts/start.mjs');
  if (!useMock && !existsSync(startScript))
    fail('scripts/start.mjs is missing; use --mock to run against the in-memory stand-in');
  if (useMock) {
    const { createMockStack } = await import(join(root, 'client/e2e/support/mock-stack.mjs'));
    const server = createMockStack(join(root, 'dist/client/browser'));
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    stop = () => new Promise((r) => server.close(() => r()));
    console.log(`browser-tests: mock stack on ${base}`);
  } else {
    const child = spawn(process.execPath, [startScript], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        SHOP_DB_MODE: 'ephemeral',
        NODE_ENV: process.env.NODE_ENV ?? 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const log = [];
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    const logFile = createWriteStream(join(root, 'test-artifacts/browser-tests-stack.log'));
    const keep = (chunk) => {
      logFile.write(chunk);
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    process.on('exit', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    stop = async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const exited = new Promise((r) => child.once('exit', r));
      const timeout = new Promise((r) => setTimeout(r, 10_000, 'timeout'));
      if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
    };
    console.log(
      `browser-tests: starting the stack (node scripts/start.mjs) on ${base} … (log: test-artifacts/browser-tests-stack.log)`,
    );
    try {
      await waitForHealth(base, child);
    } catch (e) {
      console.error(log.join(''));
      throw e;
    }
    console.log('browser-tests: stack is healthy');
  }
}

const e2eDir = join(root, 'client/e2e');
const files = readdirSync(e2eDir)
  .filter((f) => f.endsWith('.e2e.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
  .map((f) => join(e2eDir, f));

const started = Date.now();
const code = await new Promise((resolve) => {
  const t = spawn(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
    {
      cwd: root,
      env: { ...process.env, E2E_BASE_URL: base, CHROMIUM_PATH: chromium },
      stdio: 'inherit',
    },
  );
  t.on('exit', (c) => resolve(c ?? 1));
});
await stop();
console.log(
  `\nbrowser-tests: ${code === 0 ? 'PASSED' : 'FAILED'} (${files.length} files, ${((Date.now() - started) / 1000).toFixed(1)}s) — screenshots in test-artifacts/screenshots/`,
);
process.exit(code);
