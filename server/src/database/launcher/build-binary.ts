import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Exit code of scripts/build-db.mjs when Go is missing or too old (kept in sync with it). */
const GO_MISSING_EXIT_CODE = 3;

export class GoMissingError extends Error {
  readonly code = 'GO_MISSING';
}

/** By code rather than instanceof, which breaks when Error subclasses are compiled to ES5. */
export function isGoMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'GO_MISSING';
}

/**
 * Builds the database binary if needed (scripts/build-db.mjs) and returns its path.
 * Runs the script in a child Node so this works the same from ts-jest, ts-node and dist.
 */
export function buildDatabaseBinary(
  repoRoot: string,
  log: (line: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'build-db.mjs')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      if (!line.startsWith('build-db: ')) log(line); // its own error line becomes the rejection
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const path = stdout.at(-1)?.trim();
      if (code === 0 && path) return resolve(path);
      const reason = (stderr.at(-1) ?? `exit code ${code}`).replace(/^build-db: /, '');
      reject(code === GO_MISSING_EXIT_CODE ? new GoMissingError(reason) : new Error(reason));
    });
  });
}
