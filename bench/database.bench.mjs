// Embedded database benchmark: the same FerretDB build with the write gate on, then off.
// Measures insert throughput and whether conditional updates stay atomic.
//
//   node bench/database.bench.mjs        (about 30 s once the binary is built)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { ensureDatabaseBinary } from '../scripts/build-db.mjs';

const SEQUENTIAL = 1_000;
const CONCURRENT = 3_000;
const CONCURRENCY = 32;
const ROUNDS = 3;

async function startGate(binary, gated) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  const args = [
    '--listen-addr=127.0.0.1:0',
    `--data-dir=${dataDir}`,
    `--parent-pid=${process.pid}`,
    '--ephemeral',
  ];
  if (!gated) args.push('--no-write-gate', '--log-level=error');
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`database exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = /^ready (mongodb:\/\/\S+)/.exec(line);
      if (ready) resolve(ready[1]);
    });
  });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { uri, stop };
}

/** Runs `task(i)` for i < total with at most `concurrency` in flight; returns ops/s. */
async function throughput(total, concurrency, task) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

async function measure(uri) {
  const connection = await mongoose
    .createConnection(`${uri}bench`, { maxPoolSize: CONCURRENCY })
    .asPromise();
  const Item = connection.model('Item', new mongoose.Schema({ n: Number, label: String }));
  const Product = connection.model('Product', new mongoose.Schema({ stock: Number }));
  const Order = connection.model('Order', new mongoose.Schema({ status: String }));
  await Item.createCollection();

  const sequential = await throughput(SEQUENTIAL, 1, (n) =>
    Item.create({ n, label: 'sequential' }),
  );
  const concurrent = await throughput(CONCURRENT, CONCURRENCY, (n) =>
    Item.create({ n, label: 'concurrent' }),
  );

  const decrements = [];
  const transitions = [];
  for (let round = 0; round < ROUNDS; round++) {
    const product = await Product.create({ stock: 5 });
    const wins = await Promise.all(
      Array.from({ length: 30 }, () =>
        Product.findOneAndUpdate({ _id: product._id, stock: { $gte: 1 } }, { $inc: { stock: -1 } }),
      ),
    );
    const stock = (await Product.findById(product._id).lean()).stock;
    decrements.push(`${wins.filter(Boolean).length} won, stock ${stock}`);

    const order = await Order.create({ status: 'pending' });
    const updates = await Promise.all(
      Array.from({ length: 10 }, () =>
        Order.updateOne({ _id: order._id, status: 'pending' }, { $set: { status: 'paid' } }),
      ),
    );
    transitions.push(updates.reduce((sum, r) => sum + r.modifiedCount, 0));
  }
  await connection.close();
  return { sequential, concurrent, decrements, transitions };
}

const binary = ensureDatabaseBinary({ log: (line) => console.log(`  ${line}`) }).path;
console.log(
  `Embedded database benchmark (${SEQUENTIAL} sequential inserts, ${CONCURRENT} inserts at concurrency ${CONCURRENCY}, ${ROUNDS} race rounds)`,
);
console.log(
  '  expected per round: 5 of 30 decrements win with stock 0; 1 of 10 transitions modifies',
);
for (const gated of [true, false]) {
  const db = await startGate(binary, gated);
  try {
    const r = await measure(db.uri);
    console.log(`\nwrite gate ${gated ? 'ON ' : 'OFF'}  (${db.uri})`);
    console.log(`  sequential inserts/s      ${r.sequential.toFixed(0)}`);
    console.log(`  concurrent inserts/s      ${r.concurrent.toFixed(0)}`);
    console.log(`  30 decrements of stock 5  ${r.decrements.join(' | ')}`);
    console.log(`  10 racing transitions     ${r.transitions.join(' | ')} modified`);
  } finally {
    await db.stop();
  }
}
