// Builds db/ (FerretDB behind a write gate) into .cache/ferretdb-gate/<source hash>/ once;
// later calls reuse the binary until a db/ source or patch changes. FerretDB comes from the Go
// module proxy and is patched first (db/patches/, copied to .cache/ferretdb-src/). See
// docs/database.md.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(repoRoot, 'db');
const binaryName = process.platform === 'win32' ? 'ferretdb-gate.exe' : 'ferretdb-gate';
const minGo = [1, 24];
const ferretModule = 'github.com/FerretDB/FerretDB';
const ferretVersion = 'v1.24.2';
const patchFile = join(sourceDir, 'patches', 'ferretdb-1.24.2.json');

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
  hash.update(`patches/${ferretVersion}\n`).update(readFileSync(patchFile));
  return hash.digest('hex').slice(0, 16);
}

function patchHash() {
  return createHash('sha256').update(readFileSync(patchFile)).digest('hex').slice(0, 16);
}

function run(args, options) {
  const result = spawnSync('go', args, { encoding: 'utf8', maxBuffer: 16 << 20, ...options });
  if (result.error || result.status !== 0) {
    throw new Error(
      `go ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`})` +
        (result.stderr ? `: ${result.stderr.trim().replaceAll('\n', '; ')}` : ''),
    );
  }
  return result.stdout;
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

/**
 * Downloads FerretDB (Go module cache), copies it to .cache/ferretdb-src/<version>-<patch hash>/
 * and applies db/patches/ferretdb-*.json there. Every edit's `old` text must occur exactly once.
 */
function preparePatchedFerretDB(env, log) {
  const patch = JSON.parse(readFileSync(patchFile, 'utf8'));
  if (patch.module !== ferretModule || patch.version !== ferretVersion) {
    throw new Error(
      `${patchFile} is for ${patch.module}@${patch.version}, not ${ferretModule}@${ferretVersion}`,
    );
  }
  const srcRoot = join(repoRoot, '.cache', 'ferretdb-src');
  const dest = join(srcRoot, `${ferretVersion}-${patchHash()}`);
  if (existsSync(join(dest, '.patched'))) return dest;

  // Left behind only by hand: every finished copy has .patched (renamed in whole).
  if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
  const info = JSON.parse(
    run(['mod', 'download', '-json', `${ferretModule}@${ferretVersion}`], { cwd: sourceDir, env }),
  );
  if (!info.Dir)
    throw new Error(`go mod download gave no directory for ${ferretModule}@${ferretVersion}`);

  mkdirSync(srcRoot, { recursive: true });
  const partial = `${dest}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(info.Dir, partial, { recursive: true });
  makeWritable(partial);
  try {
    for (const [i, edit] of patch.edits.entries()) {
      const file = join(partial, edit.file);
      const text = readFileSync(file, 'utf8');
      const count = text.split(edit.old).length - 1;
      if (count !== 1) {
        throw new Error(
          `${patchFile}: edit ${i + 1} (${edit.file}) expected its text exactly once, found it ${count} times`,
        );
      }
      writeFileSync(
        file,
        text.replace(edit.old, () => edit.new),
      );
    }
    writeFileSync(join(partial, '.patched'), `${patch.edits.length} edits from ${patchFile}\n`);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(partial, dest);
  } catch (error) {
    // A concurrent build finished the same copy first: use it.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(dest, '.patched'))) throw error;
  }
  for (const entry of readdirSync(srcRoot)) {
    const dir = join(srcRoot, entry);
    if (dir !== dest && !entry.endsWith('.partial')) rmSync(dir, { recursive: true, force: true });
  }
  log(`Patched ${ferretModule}@${ferretVersion} in ${dest} (${patch.edits.length} edits)`);
  return dest;
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
  const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
  const ferretDir = preparePatchedFerretDB(env, log);
  // db/go.mod stays as is: build with a copy that replaces FerretDB by the patched directory.
  const modfile = join(outDir, `go.${process.pid}.mod`);
  const sumfile = modfile.replace(/\.mod$/, '.sum');
  writeFileSync(
    modfile,
    `${readFileSync(join(sourceDir, 'go.mod'), 'utf8')}\nreplace ${ferretModule} => ${JSON.stringify(ferretDir)}\n`,
  );
  cpSync(join(sourceDir, 'go.sum'), sumfile);
  const result = spawnSync(
    'go',
    ['build', `-modfile=${modfile}`, '-trimpath', '-ldflags=-s -w', '-o', partial, '.'],
    { cwd: sourceDir, stdio: ['ignore', 'inherit', 'inherit'], env },
  );
  rmSync(modfile, { force: true });
  rmSync(sumfile, { force: true });
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
