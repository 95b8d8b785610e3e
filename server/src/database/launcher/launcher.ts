import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDatabaseBinary, isGoMissing } from './build-binary';
import { spawnEmbeddedDatabase } from './embedded-database';
import { startMemoryServer } from './memory-server';
import { findRepoRoot } from './repo-root';
import { waitForPing } from './wait-for-ping';

/** A running (or external) database the app can connect to. */
export interface DatabaseHandle {
  /** Base connection string; add a database name or pass `dbName` to mongoose. */
  uri: string;
  kind: 'external' | 'ferretdb' | 'memory-server';
  /** The database process this launcher started (tests freeze it with SIGSTOP to fake a stall). */
  pid?: number;
  /** Stops the database process, if this launcher started one; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDatabaseOptions {
  /** persistent: data kept in `dataDir` (default `.data/db`); ephemeral: a temp dir removed on stop. */
  mode: 'persistent' | 'ephemeral';
  dataDir?: string;
  /** 0 or unset picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export const NO_DATABASE_MESSAGE =
  'No database available. Do one of: (1) install Go >= 1.24 (https://go.dev/dl/) so the embedded ' +
  'FerretDB can be built, (2) set MONGODB_URI to a MongoDB 6+ server or Atlas cluster, or ' +
  '(3) run with internet access so mongodb-memory-server can download MongoDB.';

/**
 * One launcher for `npm start`, the tests and CI: MONGODB_URI when set, otherwise the embedded
 * FerretDB (built on first use), otherwise mongodb-memory-server. See docs/database.md.
 */
export async function startDatabase(options: StartDatabaseOptions): Promise<DatabaseHandle> {
  const log = options.log ?? ((line: string) => console.log(line));
  const external = process.env.MONGODB_URI?.trim();
  if (external) return { uri: external, kind: 'external', stop: async () => undefined };

  const repoRoot = findRepoRoot();
  const dataDir =
    options.mode === 'ephemeral'
      ? await mkdtemp(join(tmpdir(), 'shop-db-'))
      : (options.dataDir ?? join(repoRoot, '.data', 'db'));
  mkdirSync(dataDir, { recursive: true });
  const removeDataDir = () => {
    if (options.mode === 'ephemeral') rmSync(dataDir, { recursive: true, force: true });
  };

  let binary: string;
  try {
    binary = await buildDatabaseBinary(repoRoot, log);
  } catch (error) {
    // Only a machine without Go falls back: a failed build with Go present (a patch that no
    // longer applies, a compile error) is a defect to see, not to hide behind another engine.
    if (!isGoMissing(error)) {
      removeDataDir();
      throw new Error(`the embedded FerretDB could not be built: ${(error as Error).message}`);
    }
    return startFallback(error as Error, dataDir, options, log, removeDataDir);
  }
  // The binary exists, so a failure to start (port taken, data dir in use) is the real error.
  return startFerretDb(binary, dataDir, options, log, removeDataDir);
}

/** mongodb-memory-server when Go, needed to build the embedded database, is missing. */
async function startFallback(
  goMissing: Error,
  dataDir: string,
  options: StartDatabaseOptions,
  log: (line: string) => void,
  removeDataDir: () => void,
): Promise<DatabaseHandle> {
  const why = goMissing.message;
  log(`${why}; falling back to mongodb-memory-server`);
  try {
    const server = await startMemoryServer({
      dataDir: options.mode === 'persistent' ? `${dataDir}-mongod` : undefined,
      port: options.port,
    });
    log(`mongodb-memory-server ready at ${server.uri}`);
    return { uri: server.uri, kind: 'memory-server', stop: once(server.stop) };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    throw new Error(
      `${NO_DATABASE_MESSAGE}\n  embedded: ${why}\n  mongodb-memory-server: ${reason}`,
    );
  } finally {
    removeDataDir();
  }
}

async function startFerretDb(
  binary: string,
  dataDir: string,
  options: StartDatabaseOptions,
  log: (line: string) => void,
  removeDataDir: () => void,
): Promise<DatabaseHandle> {
  const noWriteGate = process.env.EMBEDDED_DB_NO_WRITE_GATE === '1';
  if (noWriteGate)
    log('EMBEDDED_DB_NO_WRITE_GATE=1: write gate OFF, concurrent updates may be lost');

  const { uri, child } = await spawnEmbeddedDatabase({
    binary,
    dataDir,
    port: options.port ?? 0,
    noWriteGate,
    ephemeral: options.mode === 'ephemeral',
    log,
    readyTimeoutMs: READY_TIMEOUT_MS,
  }).catch((error: unknown) => {
    removeDataDir();
    throw error;
  });

  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    // exit code 0 without stop(): a terminal Ctrl-C reached the whole process group.
    if (!stopping && code !== 0)
      log(`Embedded database exited unexpectedly (${signal ?? `exit code ${code}`})`);
  });
  // Last resort when the parent goes down without awaiting stop(): synchronous kill + cleanup.
  const killNow = () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    removeDataDir();
  };
  const unregister = registerExitHook(killNow);

  const stop = once(async () => {
    stopping = true;
    unregister();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    removeDataDir();
  });

  try {
    await waitForPing(uri, READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Embedded FerretDB ready at ${uri} (data: ${dataDir})`);
  return { uri, kind: 'ferretdb', pid: child.pid, stop };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

const exitHooks = new Set<() => void>();
let hooksInstalled = false;

/** Runs `hook` on process exit, crash, SIGINT and SIGTERM; returns the unregister function. */
function registerExitHook(hook: () => void): () => void {
  exitHooks.add(hook);
  if (!hooksInstalled) {
    hooksInstalled = true;
    // 'exit' also fires after an uncaught exception has been printed.
    process.on('exit', runExitHooks);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      // When the app handles the signal itself it calls stop(); 'exit' stays the backstop.
      // Otherwise keep Node's default (terminate) after killing the database.
      const onSignal = () => {
        if (process.listenerCount(signal) > 1) return;
        runExitHooks();
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      };
      process.on(signal, onSignal);
    }
  }
  return () => exitHooks.delete(hook);
}

function runExitHooks(): void {
  for (const hook of exitHooks) hook();
  exitHooks.clear();
}
