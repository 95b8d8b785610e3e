// `npm test`: every suite, in order, against real parts: server unit tests, the sandbox's contract
// and browser tests, the server e2e tests (embedded database + sandbox over HTTP), the storefront's
// unit tests and the storefront's browser tests on the full stack. Ends with one summary line.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build-db.mjs';
import { ensureEverythingBuilt } from './lib/ensure-built.mjs';

const reports = join(repoRoot, 'test-artifacts', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const jest = (name, config, extra = []) => ({
  name,
  command: 'npx',
  args: [
    'jest',
    '--config',
    config,
    '--json',
    `--outputFile=${join(reports, `${name}.json`)}`,
    ...extra,
  ],
  count: () => {
    const r = JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'));
    return {
      passed: r.numPassedTests,
      failed: r.numFailedTests + r.numRuntimeErrorTestSuites,
      skipped: r.numPendingTests,
    };
  },
});

/** Reads "N passed" / "N failed" / "N skipped" from a runner's own summary lines. */
const fromOutput = (patterns) => (raw) => {
  // eslint-disable-next-line no-control-regex
  const output = raw.replace(/\x1b\[[0-9;]*m/g, '');
  const last = (re) => {
    const all = [...output.matchAll(re)];
    return all.length ? Number(all.at(-1)[1]) : 0;
  };
  return {
    passed: last(patterns.passed),
    failed: last(patterns.failed),
    skipped: last(patterns.skipped),
  };
};

const suites = [
  jest('server-unit', 'server/jest.config.ts'),
  jest('sandbox', 'sandbox/jest.config.ts', ['--runInBand']),
  jest('server-e2e', 'server/test/jest-e2e.config.ts', ['--runInBand']),
  {
    name: 'client-unit',
    command: 'npx',
    args: ['ng', 'test', 'client', '--watch=false'],
    parse: fromOutput({
      passed: /Tests\s+(?:\d+ failed \| )?(\d+) passed/g,
      failed: /Tests\s+(\d+) failed/g,
      skipped: /(\d+) skipped/g,
    }),
  },
  {
    name: 'browser',
    command: process.execPath,
    args: ['scripts/browser-tests.mjs'],
    // node:test's spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ skipped N".
    parse: fromOutput({
      passed: /^\S* ?pass (\d+)$/gm,
      failed: /^\S* ?fail (\d+)$/gm,
      skipped: /^\S* ?skipped (\d+)$/gm,
    }),
  },
];

const only = process.argv.slice(2);
await ensureEverythingBuilt();

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`\n=== ${suite.name}: ${suite.command} ${suite.args.join(' ')}`);
  const started = Date.now();
  const { code, output } = await run(suite.command, suite.args);
  let counts;
  try {
    counts = suite.count ? suite.count() : suite.parse(output);
  } catch {
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // a crash counts as a failure
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  if (code !== 0) failures.push(suite.name);
  console.log(
    `=== ${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped ` +
      `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
}

if (failures.length) console.log(`\nFailed suites: ${failures.join(', ')}`);
console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.passed === 0 ? 1 : 0);

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
