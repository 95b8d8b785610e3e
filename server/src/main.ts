import { existsSync } from 'node:fs';
import { assertDatabaseReachable } from './database/database-reachability';
import { startDatabase, withDatabaseName } from './database/launcher';
import { sandboxBanner, validateEnv } from './config/env.validation';

/**
 * `npm start`: uses MONGODB_URI when set, otherwise starts the embedded database (stopped with
 * this process), then serves the API, Swagger, the storefront and the Razorpay sandbox on PORT.
 */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  // .env is read here, before the launcher decides between MONGODB_URI and the embedded database.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env); // before anything starts: a bad variable is one clear line
  const banner = sandboxBanner(env);
  if (banner) console.log(banner);
  const database = await startDatabase({
    mode: process.env.SHOP_DB_MODE === 'ephemeral' ? 'ephemeral' : 'persistent',
    log: (line) => console.log(line),
  });
  if (database.kind === 'external') await assertDatabaseReachable(database.uri);
  // The embedded server's URI names no database; the shop's data goes in "shop".
  process.env.MONGODB_URI =
    database.kind === 'external' ? database.uri : withDatabaseName(database.uri, 'shop');
  // Imported here: AppModule validates the environment as it loads, inside this error handling.
  const { createApp, listen } = await import('./bootstrap/app-factory');
  const app = await createApp();
  const origin = await listen(app, Number(process.env.PORT ?? 3000));
  // SIGTERM drains: readiness turns 503 for SHUTDOWN_DELAY_MS, then the server stops accepting,
  // in-flight requests and webhooks finish, and the database connection closes. A drain that
  // hangs is cut short.
  const shutdown = async (signal: NodeJS.Signals) => {
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS + env.SHUTDOWN_DELAY_MS).unref();
    // Nest's close() takes the signal (its interface omits it): Terminus delays only on SIGTERM.
    await (app.close as (signal?: string) => Promise<void>).call(app, signal);
    await database.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void shutdown(signal).finally(() => process.exit(0)));
  console.log(
    `Shop ready: ${origin.replace('127.0.0.1', 'localhost')}  (API /api, Swagger /docs, Razorpay sandbox /sandbox/razorpay)`,
  );
}

main().catch((error: unknown) => {
  // One clear line instead of a wall of stack: config and database problems are the usual causes.
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
