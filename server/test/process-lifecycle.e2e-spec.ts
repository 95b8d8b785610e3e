import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

// These tests run the built server as `npm start` does (scripts/test.mjs builds it first).
const MAIN = join(__dirname, '../../dist/api/server/src/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

/** Pids of embedded database processes started by `parentPid`. */
function databaseProcessesOf(parentPid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('ferretdb-gate') && line.includes(`--parent-pid=${parentPid}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function waitForHealth(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('Server process lifecycle (e2e)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build:server" first`);
  });

  it('should exit non-zero within 30 s with one clear line when MONGODB_URI cannot be reached', async () => {
    const started = Date.now();
    const server = startServer({
      MONGODB_URI: 'mongodb://127.0.0.1:9/shop',
      PORT: String(await freePort()),
    });
    const code = await server.exited;
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(server.output()).toMatch(
      /Start-up failed: Cannot reach the database at mongodb:\/\/127\.0\.0\.1:9 .*Check MONGODB_URI/,
    );
  });

  it('should exit non-zero naming the variable when the configuration is malformed', async () => {
    const server = startServer({ MONGODB_URI: 'mongodb://127.0.0.1:9/shop', PORT: 'eighty' });
    expect(await server.exited).not.toBe(0);
    expect(server.output().trim()).toMatch(
      /^Start-up failed: Invalid configuration: PORT: .*integer/,
    );
  });

  it('should stop its embedded database on SIGTERM and when killed outright', async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const port = await freePort();
      const server = startServer({ SHOP_DB_MODE: 'ephemeral', PORT: String(port) });
      await waitForHealth(port);
      const pid = server.child.pid!;
      expect(databaseProcessesOf(pid)).toHaveLength(1);
      server.child.kill(signal);
      await server.exited;
      // After SIGKILL nothing in Node runs: the database notices its parent is gone by itself.
      expect(await waitUntil(() => databaseProcessesOf(pid).length === 0, 10_000)).toBe(true);
    }
  });
});
