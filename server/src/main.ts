import { existsSync } from 'node:fs';
import { createApp, listen } from './bootstrap/app-factory';
import { assertDatabaseReachable } from './database/database-reachability';
import { startDatabase } from './database/launcher';

/**
 * `npm start`: uses MONGODB_URI when set, otherwise starts the embedded database (stopped with
 * this process), then serves the API, Swagger, the storefront and the Razorpay sandbox on PORT.
 */
async function main(): Promise<void> {
  // .env is read here, before the launcher decides between MONGODB_URI and the embedded database.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const database = await startDatabase({
    mode: process.env.SHOP_DB_MODE === 'ephemeral' ? 'ephemeral' : 'persistent',
    log: (line) => console.log(line),
  });
  if (database.kind === 'external') await assertDatabaseReachable(database.uri);
  process.env.MONGODB_URI = database.uri;
  const app = await createApp();
  const origin = await listen(app, Number(process.env.PORT ?? 3000));
  const shutdown = async () => {
    await app.close();
    await database.stop();
  };
  process.once('SIGINT', () => void shutdown().finally(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown().finally(() => process.exit(0)));
  console.log(
    `Shop ready: ${origin.replace('127.0.0.1', 'localhost')}  (API /api, Swagger /docs, Razorpay sandbox /sandbox/razorpay)`,
  );
}

main().catch((error: unknown) => {
  // One clear line instead of a wall of stack: config and database problems are the usual causes.
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
