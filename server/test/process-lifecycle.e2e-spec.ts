import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

// These tests run the built server as `npm start` does (scripts/test.mjs builds it first).
// SHOP_MAIN_JS points them at another build of main.js (e.g. one compiled to a scratch folder).
const MAIN = process.env.SHOP_MAIN_JS ?? join(__dirname, '../../dist/api/server/src/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface LogLine {
  requestId?: string;
  req?: { method: string; path: string; headers: Record<string, string> };
  res?: { status: number };
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

  // Config validation runs first: the unreachable database is never tried.
  // Only the live prefix matters to the check; built at run time so no live-looking key is in the source.
  const FAKE_LIVE_KEY_ID = ['rzp', 'live', 'NotARealKey'].join('_');
  const UNREACHABLE = 'mongodb://127.0.0.1:9/shop';
  const LIVE = {
    RAZORPAY_MODE: 'live',
    RAZORPAY_KEY_ID: FAKE_LIVE_KEY_ID,
    RAZORPAY_KEY_SECRET: 'live-secret-1234',
    RAZORPAY_WEBHOOK_SECRET: 'live-whsec-1234',
    JWT_SECRET: 'live-jwt-secret-0123456789',
  };

  it('should refuse live mode with the documented operator password, in one line naming it', async () => {
    const server = startServer({
      ...LIVE,
      MONGODB_URI: UNREACHABLE,
      ADMIN_EMAIL: 'ops@shop.example.in',
      ADMIN_PASSWORD: 'admin-password',
      PORT: String(await freePort()),
    });
    expect(await server.exited).not.toBe(0);
    expect(server.output().trim()).toMatch(
      /^Start-up failed: Invalid configuration: ADMIN_PASSWORD: is the documented default when RAZORPAY_MODE=live$/,
    );
  });

  it('should refuse live mode with a weak password or the documented email', async () => {
    const server = startServer({
      ...LIVE,
      MONGODB_URI: UNREACHABLE,
      ADMIN_PASSWORD: 'shop1234',
      PORT: String(await freePort()),
    });
    expect(await server.exited).not.toBe(0);
    expect(server.output().trim()).toMatch(
      /^Start-up failed: Invalid configuration: ADMIN_EMAIL: is the documented default.*; ADMIN_PASSWORD: must have at least 12 characters when RAZORPAY_MODE=live$/,
    );
  });

  it('should refuse a rzp_live_ key in sandbox mode, in one line naming RAZORPAY_MODE', async () => {
    const server = startServer({
      MONGODB_URI: UNREACHABLE,
      RAZORPAY_KEY_ID: FAKE_LIVE_KEY_ID,
      PORT: String(await freePort()),
    });
    expect(await server.exited).not.toBe(0);
    expect(server.output().trim()).toMatch(
      /^Start-up failed: Invalid configuration: RAZORPAY_MODE: is sandbox but RAZORPAY_KEY_ID is a live key[^\n]*$/,
    );
  });

  it('should print the sandbox banner first and log JSON with request ids and no personal data', async () => {
    const port = await freePort();
    const server = startServer({ SHOP_DB_MODE: 'ephemeral', PORT: String(port), LOG_LEVEL: 'log' });
    await waitForHealth(port);
    const base = `http://127.0.0.1:${port}`;
    const secrets = {
      email: 'asha.rao@example.in',
      phone: '9876543210',
      card: '4111 1111 1111 1111',
      cookie: 'session=cookie-value-4242',
      token: 'Bearer not-a-real-jwt-abcdef',
    };
    const query = new URLSearchParams({ card: secrets.card, q: `call ${secrets.phone}` });
    const sent = await fetch(`${base}/api/auth/register?${query.toString()}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'ops-redaction-1',
        cookie: secrets.cookie,
      },
      body: JSON.stringify({ name: 'Asha', email: secrets.email, password: 'correct-horse-1' }),
    });
    expect(sent.status).toBe(201);
    expect(sent.headers.get('x-request-id')).toBe('ops-redaction-1');
    // A bad token is logged as a 401, the token itself never.
    const denied = await fetch(`${base}/api/me/orders`, {
      headers: { authorization: secrets.token, 'x-request-id': 'ops-redaction-2' },
    });
    expect(denied.status).toBe(401);
    // Personal data inside a validation message (logged at warn) is masked too.
    await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [],
        customer: { name: 'A', email: secrets.email, contact: secrets.phone },
        [`card ${secrets.card}`]: secrets.phone,
      }),
    });
    server.child.kill('SIGTERM');
    await server.exited;

    const lines = server.output().trim().split('\n');
    expect(lines[0]).toMatch(/^RAZORPAY_MODE=sandbox: .*no money moves/);
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
    const requestLog = json.find((l) => l.requestId === 'ops-redaction-1' && l.res);
    expect(requestLog).toMatchObject({
      req: {
        method: 'POST',
        path: '/api/auth/register',
        query: { card: '[Redacted]', q: 'call [phone]' },
        headers: { cookie: '[Redacted]', 'x-request-id': 'ops-redaction-1' },
      },
      res: { status: 201 },
    });
    const deniedLog = json.find((l) => l.requestId === 'ops-redaction-2' && l.res);
    expect(deniedLog).toMatchObject({
      req: { headers: { authorization: '[Redacted]' } },
      res: { status: 401 },
    });
    const output = server.output();
    for (const value of [
      secrets.email,
      secrets.phone,
      secrets.card,
      '4111111111111111',
      'cookie-value-4242',
      'not-a-real-jwt-abcdef',
    ])
      expect(output).not.toContain(value);
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
