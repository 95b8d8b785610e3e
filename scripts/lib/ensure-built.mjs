// Builds what is missing or older than its sources: npm packages, the embedded database binary,
// the API (nest build) and the storefront (ng build). Shared by `npm start`, `npm test` and CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../build-db.mjs';

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function run(label, command, args) {
  const started = Date.now();
  console.log(`> ${label}`);
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const stale = (output, ...sources) =>
  !existsSync(join(repoRoot, output)) ||
  Math.max(...sources.map((s) => newestMtime(join(repoRoot, s)))) >
    newestMtime(join(repoRoot, output));

export function ensureInstalled() {
  if (!existsSync(join(repoRoot, 'node_modules', '.package-lock.json'))) {
    run('Installing npm packages (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
  }
}

export function ensureServerBuilt() {
  if (stale('dist/api/server/src/main.js', 'server/src', 'sandbox/src', 'server/tsconfig.json')) {
    run('Building the API (nest build)', 'npx', ['nest', 'build']);
  }
}

export function ensureClientBuilt() {
  if (stale('dist/client/browser/index.csr.html', 'client/src', 'client/public', 'angular.json')) {
    run('Building the storefront (ng build)', 'npx', ['ng', 'build', 'client']);
  }
}

export async function ensureDatabaseBuilt() {
  const { ensureDatabaseBinary, GoMissingError } = await import('../build-db.mjs');
  try {
    ensureDatabaseBinary({ log: (line) => console.log(line) });
  } catch (error) {
    // No Go: the launcher falls back to mongodb-memory-server or MONGODB_URI and says so.
    if (!(error instanceof GoMissingError)) throw error;
    console.warn(`Embedded database not built: ${error.message}`);
  }
}

export async function ensureEverythingBuilt() {
  ensureInstalled();
  if (!process.env.MONGODB_URI) await ensureDatabaseBuilt();
  ensureServerBuilt();
  ensureClientBuilt();
}
