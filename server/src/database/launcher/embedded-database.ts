import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface EmbeddedDatabaseOptions {
  binary: string;
  dataDir: string;
  port: number;
  /** Comparison only: relay writes without the gate (see docs/database.md). */
  noWriteGate: boolean;
  /** The program deletes dataDir when it exits, even if this process was killed outright. */
  ephemeral: boolean;
  log: (line: string) => void;
  readyTimeoutMs: number;
}

export interface EmbeddedProcess {
  uri: string;
  child: ChildProcess;
}

/**
 * Spawns ferretdb-gate and resolves with its URI once it prints its readiness line.
 * It gets our pid and a stdin pipe, so it also exits when this process is killed outright.
 */
export function spawnEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedProcess> {
  const args = [
    `--listen-addr=127.0.0.1:${options.port}`,
    `--data-dir=${options.dataDir}`,
    `--parent-pid=${process.pid}`,
    '--exit-on-stdin-close',
  ];
  if (options.noWriteGate) args.push('--no-write-gate');
  if (options.ephemeral) args.push('--ephemeral');

  const child = spawn(options.binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  // Never let the pipes keep the event loop alive or hold up the parent's exit.
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  child.unref();

  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    options.log(`[ferretdb] ${line}`);
  });

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const detail = stderr.slice(-5).join('\n');
      reject(new Error(detail ? `${message}:\n${detail}` : message));
    };
    const timer = setTimeout(
      () => fail(`Embedded database did not start within ${options.readyTimeoutMs / 1000} s`),
      options.readyTimeoutMs,
    );
    child.once('error', (error) => fail(`Cannot run ${options.binary}: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`Embedded database exited during start-up (${signal ?? `exit code ${code}`})`),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      resolve({ uri: match[1], child });
    });
  });
}
