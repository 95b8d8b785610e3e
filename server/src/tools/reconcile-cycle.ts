/**
 * Times reconciler cycles against a running shop's database, for bench/scale.bench.mjs:
 *   MONGODB_URI=<uri with database name> node -r ts-node/register/transpile-only \
 *     server/src/tools/reconcile-cycle.ts [--runs N]
 * Boots the shop's whole app context (no HTTP server, the scheduler off) and calls
 * ReconcilerService.runOnce() N times, exactly what every instance does every
 * RECONCILE_INTERVAL_SECONDS. The last stdout line is JSON: { ms: number[], runs: ReconcileRun[] }.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { ReconcilerService } from '../payments/reconciler.service';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 5;
  if (!process.env.MONGODB_URI) throw new Error('MONGODB_URI is required');
  process.env.RECONCILE_INTERVAL_SECONDS = '0';
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    const reconciler = app.get(ReconcilerService);
    const ms: number[] = [];
    const results = [];
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      results.push(await reconciler.runOnce());
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    console.log(JSON.stringify({ ms, runs: results }));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    `reconcile-cycle failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
