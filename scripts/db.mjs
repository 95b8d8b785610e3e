// `npm run db`: the embedded database alone, in the foreground, on DB_PORT (default 27017) with
// its data in .data/db, for mongosh or Compass. Ctrl-C stops it. See docs/database.md.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureDatabaseBinary, GoMissingError, repoRoot } from './build-db.mjs';

const port = Number(process.env.DB_PORT ?? 27017);
const dataDir = process.env.DB_DATA_DIR ?? join(repoRoot, '.data', 'db');

let binary;
try {
  binary = ensureDatabaseBinary().path;
} catch (error) {
  console.error(`npm run db: ${error.message}`);
  if (error instanceof GoMissingError) {
    console.error(
      'Install Go >= 1.24 (https://go.dev/dl/) or point the shop at MongoDB with MONGODB_URI.',
    );
  }
  process.exit(1);
}

mkdirSync(dataDir, { recursive: true });
const child = spawn(
  binary,
  [`--listen-addr=127.0.0.1:${port}`, `--data-dir=${dataDir}`, `--parent-pid=${process.pid}`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);

createInterface({ input: child.stdout }).on('line', (line) => {
  const ready = /^ready (mongodb:\/\/\S+)/.exec(line);
  if (!ready) return console.log(line);
  console.log(`Embedded FerretDB (write gate on) listening, data in ${dataDir}`);
  console.log(`Connection string: ${ready[1]}`);
  console.log(`  mongosh "${ready[1]}shop"   |   MONGODB_URI=${ready[1]}shop npm start`);
  console.log('Press Ctrl-C to stop.');
});

child.on('exit', (code, signal) => {
  if (stopping) console.log('Database stopped.');
  else console.error(`Database exited (${signal ?? `exit code ${code}`}).`);
  process.exit(stopping ? 0 : 1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    child.kill('SIGTERM');
  });
}
