// `npm run bench` (not part of `npm test`): measures the floor, then runs every bench/*.bench.mjs
// (the API benches first), each as its own process, and prints a summary where every rate stands
// beside the floor measured in this same run. See docs/benchmarks.md.
//
// Environment: BENCH_ORDERS, BENCH_EVENTS, BENCH_FLASH_REQUESTS (sizes), BENCH_MAX_PHASE_SECONDS
// (each timed phase stops sending after this; default 60; the flash sale: BENCH_FLASH_MAX_SECONDS, 120), BENCH_FLOOR_AFTER=1 (measure the floor
// again at the end, to see how much the machine's load moved during the run), BENCH_ONLY=<name>.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  databaseBinary,
  ensureServerBuild,
  fmt,
  machineInfo,
  printMachine,
  printTable,
  repoRoot,
} from '../bench/lib.mjs';

const started = Date.now();
const outDir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
const failures = [];

console.log(`npm run bench — ${new Date().toISOString()}`);
const machine = machineInfo();
printMachine(machine);

// Builds first, so no build time lands inside a measurement.
console.log('\n> preparing: database binary and API build');
await databaseBinary();
const build = ensureServerBuild();
if (build.stale)
  console.log(
    '  note: server/src or sandbox/src changed after the last build; figures are for the build in dist/',
  );

function run(label, script, args = [], env = {}) {
  console.log(`\n> ${label} (node ${script} ${args.join(' ')})`);
  const t0 = Date.now();
  const result = spawnSync(process.execPath, [join(repoRoot, script), ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const seconds = (Date.now() - t0) / 1000;
  const ok = result.status === 0;
  console.log(
    `  ${label}: ${ok ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds.toFixed(0)} s`,
  );
  if (!ok) failures.push(label);
  return ok;
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
const only = process.env.BENCH_ONLY;

const floorFile = join(outDir, 'floor.json');
run('floor', 'bench/floor.mjs', ['--json', floorFile]);
const floor = readJson(floorFile);
const sharedEnv = floor ? { BENCH_FLOOR_JSON: floorFile } : {};

const benches = readdirSync(join(repoRoot, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort((a, b) => (a === 'api.bench.mjs' ? -1 : b === 'api.bench.mjs' ? 1 : a.localeCompare(b)))
  .filter((f) => !only || f.includes(only));
const outputs = {};
for (const file of benches) {
  const name = file.replace(/\.bench\.mjs$/, '');
  const json = join(outDir, `${name}.json`);
  const args = ['--json', json, ...(floor ? ['--floor-json', floorFile] : [])];
  run(`bench ${name}`, `bench/${file}`, args, sharedEnv);
  outputs[name] = readJson(json);
}

let floorAfter = null;
if (process.env.BENCH_FLOOR_AFTER === '1') {
  const file = join(outDir, 'floor-after.json');
  run('floor again', 'bench/floor.mjs', ['--json', file, '--label', 'floor-after']);
  floorAfter = readJson(file);
}

// ---- summary --------------------------------------------------------------------------------
console.log('\n================ summary ================');
printMachine(machine);
console.log(
  `load avg at the end: ${machineInfo()
    .loadavg.map((x) => x.toFixed(2))
    .join(
      ' ',
    )} (the shop, its database and the load client share these cores with anything else running)`,
);
const api = outputs.api;
const rows = [];
const ratio = (x) => (floor ? fmt.ratio(x / floor.rate) : 'n/a');
if (floor)
  rows.push([
    'floor: bare http + 1 insert + 1 update',
    `${fmt.rate(floor.rate)} req/s`,
    '1.00x',
    fmt.ms(floor.p50),
    fmt.ms(floor.p99),
    `${floor.total} deliveries`,
  ]);
if (floorAfter)
  rows.push([
    'floor, measured again at the end',
    `${fmt.rate(floorAfter.rate)} req/s`,
    ratio(floorAfter.rate),
    fmt.ms(floorAfter.p50),
    fmt.ms(floorAfter.p99),
    `${floorAfter.total} deliveries`,
  ]);
if (api?.webhooks) {
  const w = api.webhooks;
  rows.push([
    'webhook ingest (target >= 1,000/s)',
    `${fmt.rate(w.rate)} events/s`,
    ratio(w.rate),
    fmt.ms(w.p50),
    fmt.ms(w.p99),
    `${w.total}${w.truncated ? ` of ${w.requested}` : ''} deliveries; exactly-once ${api.exactlyOnce?.ok ? 'PASS' : 'FAIL'}`,
  ]);
}
if (api?.orders) {
  const o = api.orders;
  rows.push([
    'order placement (target >= 200/s, p99 <= 300 ms)',
    `${fmt.rate(o.rate)} orders/s`,
    ratio(o.rate),
    fmt.ms(o.p50),
    fmt.ms(o.p99),
    `${o.total}${o.truncated ? ` of ${o.requested}` : ''} orders`,
  ]);
}
if (api?.flash) {
  const f = api.flash;
  rows.push([
    'flash sale (2,000 requests, 100 units, c=200)',
    `${fmt.rate(f.rate)} req/s`,
    ratio(f.rate),
    fmt.ms(f.p50),
    fmt.ms(f.p99),
    `201: ${f.created}, 409: ${f.outOfStock}, 5xx: ${f.serverErrors}, stock ${f.finalStock}, oversold: ${f.oversold}`,
  ]);
}
printTable(['bench', 'rate', 'vs floor', 'p50 ms', 'p99 ms', 'notes'], rows);
if (api?.memory) {
  console.log(
    `peak RSS (VmHWM): shop server ${fmt.mb(api.memory.server.peakMb)} MB` +
      (api.memory.db ? `, its embedded database ${fmt.mb(api.memory.db.peakMb)} MB` : ''),
  );
}
for (const [name, out] of Object.entries(outputs)) {
  if (name !== 'api')
    console.log(
      `bench ${name}: ${out ? `results in ${join(outDir, `${name}.json`)}` : 'see its output above'}`,
    );
}
console.log(`results (JSON): ${outDir}`);
console.log(
  `total ${((Date.now() - started) / 1000).toFixed(0)} s${failures.length ? `; FAILED: ${failures.join(', ')}` : ''}`,
);
process.exitCode = failures.length ? 1 : 0;
