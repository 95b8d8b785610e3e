// `npm run seed:history -- --orders N [--users U] [--products P] [--seed S] [--json]`: writes N
// orders of realistic history (payments, refunds, webhook events, ...) into the database the shop
// uses — MONGODB_URI, or the embedded default in .data/db (stop `npm start` first). Runs the
// TypeScript tool server/src/tools/seed-history.ts with ts-node (no build, no HTTP server).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './build-db.mjs';

const require = createRequire(import.meta.url);

/** Spawns the seeding tool; resolves its exit code. `stdio` as for child_process.spawn. */
export function runSeedHistory(args, { env = process.env, stdio = 'inherit' } = {}) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      join(repoRoot, 'server', 'src', 'tools', 'seed-history.ts'),
      ...args,
    ],
    {
      cwd: repoRoot,
      env: { ...env, TS_NODE_PROJECT: join(repoRoot, 'server', 'tsconfig.json') },
      stdio,
    },
  );
  return child;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const child = runSeedHistory(process.argv.slice(2));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
