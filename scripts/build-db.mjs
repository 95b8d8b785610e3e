// Builds db/ (FerretDB behind a write gate) into .cache/ferretdb-gate/<source hash>/ once;
// later calls reuse the binary until a db/ source changes. See docs/database.md.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(repoRoot, 'db');
const binaryName = process.platform === 'win32' ? 'ferretdb-gate.exe' : 'ferretdb-gate';
const minGo = [1, 24];

/** Exit code of `node scripts/build-db.mjs` when Go is missing or too old (launchers fall back). */
export const GO_MISSING_EXIT_CODE = 3;

export class GoMissingError extends Error {
  code = 'GO_MISSING';
}

function sourceHash() {
  const hash = createHash('sha256').update(`${process.platform}-${process.arch}\n`);
  const files = readdirSync(sourceDir)
    .filter(
      (f) => f === 'go.mod' || f === 'go.sum' || (f.endsWith('.go') && !f.endsWith('_test.go')),
    )
    .sort();
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(join(sourceDir, file)));
  return hash.digest('hex').slice(0, 16);
}

/** Where the binary for the current db/ sources lives (it may not be built yet). */
export function databaseBinaryPath() {
  return join(repoRoot, '.cache', 'ferretdb-gate', sourceHash(), binaryName);
}

function goVersion() {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /^go(\d+)\.(\d+)/.exec(result.stdout.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Returns the path of the database binary, building it first when needed.
 * Throws GoMissingError when Go >= 1.24 is not on PATH.
 */
export function ensureDatabaseBinary({ log = (line) => console.error(line) } = {}) {
  const binary = databaseBinaryPath();
  if (existsSync(binary)) return { path: binary, built: false, seconds: 0 };

  const version = goVersion();
  if (!version) throw new GoMissingError('Go is not installed (go not found on PATH)');
  if (version[0] < minGo[0] || (version[0] === minGo[0] && version[1] < minGo[1])) {
    throw new GoMissingError(
      `Go ${version.join('.')} is too old; ${minGo.join('.')} or newer is needed`,
    );
  }

  log('Building the embedded database (FerretDB 1.24.2); the first build takes a minute or two...');
  const started = Date.now();
  const outDir = dirname(binary);
  mkdirSync(outDir, { recursive: true });
  // Build under a temporary name and rename, so concurrent builds never run a half-written file.
  const partial = join(outDir, `${binaryName}.${process.pid}.partial`);
  const result = spawnSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', partial, '.'], {
    cwd: sourceDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  });
  if (result.error || result.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(
      `go build in db/ failed (${result.error?.message ?? `exit code ${result.status}`})`,
    );
  }
  renameSync(partial, binary);
  pruneOldBuilds(dirname(outDir), dirname(binary));
  const seconds = (Date.now() - started) / 1000;
  const megabytes = statSync(binary).size / 1e6;
  log(`Built ${binary} in ${seconds.toFixed(1)} s (${megabytes.toFixed(0)} MB)`);
  return { path: binary, built: true, seconds };
}

// Binaries of earlier db/ sources are dead weight (about 26 MB each).
function pruneOldBuilds(cacheDir, keep) {
  for (const entry of readdirSync(cacheDir)) {
    const dir = join(cacheDir, entry);
    if (dir !== keep) rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: build if needed and print the binary path as the last stdout line.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { path } = ensureDatabaseBinary();
    console.log(path);
  } catch (error) {
    console.error(`build-db: ${error.message}`);
    process.exit(error instanceof GoMissingError ? GO_MISSING_EXIT_CODE : 1);
  }
}
