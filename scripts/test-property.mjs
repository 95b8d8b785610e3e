#!/usr/bin/env node
// `npm run test:property -- --runs N [--seed S] [--path P --replay-path R] [--verbose]`: the
// settlement property test (server/test/settlement.property.e2e-spec.ts) with more sequences than
// `npm test` runs. A failure prints the shrunk command list and the seed and paths to replay it
// (fc.commands needs its own replay path besides fast-check's path).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'Usage: npm run test:property -- [--runs N] [--seed S] [--path P] [--replay-path R]\n' +
  '                                [--max-commands M] [--shrink-seconds T] [--verbose]';

// More time to shrink a failure than inside `npm test` (45 s there).
const env = { PROPERTY_SHRINK_MS: '300000', ...process.env };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const flag = argv[i];
  const value = argv[i + 1];
  const number = () => {
    if (value === undefined || !/^\d+$/.test(value)) {
      console.error(`${flag} needs a whole number\n${USAGE}`);
      process.exit(2);
    }
    i++;
    return value;
  };
  if (flag === '--runs') env.PROPERTY_RUNS = number();
  else if (flag === '--seed') env.PROPERTY_SEED = number();
  else if (flag === '--max-commands') env.PROPERTY_MAX_COMMANDS = number();
  else if (flag === '--shrink-seconds') env.PROPERTY_SHRINK_MS = String(Number(number()) * 1000);
  else if (flag === '--path' && value) {
    env.PROPERTY_PATH = value;
    i++;
  } else if (flag === '--replay-path' && value) {
    env.PROPERTY_REPLAY_PATH = value;
    i++;
  } else if (flag === '--verbose') env.PROPERTY_VERBOSE = '1';
  else if (flag === '--help' || flag === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else {
    console.error(`unknown argument ${flag}\n${USAGE}`);
    process.exit(2);
  }
}

const child = spawn(
  'npx',
  [
    'jest',
    '--config',
    'server/test/jest-e2e.config.ts',
    '--runInBand',
    'server/test/settlement.property.e2e-spec.ts',
  ],
  { cwd: root, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
