import { startDatabase, type DatabaseHandle } from '../src/database/launcher';

declare global {
  var __SHOP_TEST_DATABASE__: DatabaseHandle | undefined;
}

/**
 * Starts one ephemeral database for the whole run (or uses MONGODB_URI). Test files pick
 * their own database name on it through testDatabaseUri().
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const database = await startDatabase({
    mode: 'ephemeral',
    log: (line) => process.stderr.write(`[test-db] ${line}\n`),
  });
  globalThis.__SHOP_TEST_DATABASE__ = database;
  process.env.TEST_MONGODB_URI = database.uri;
  process.env.TEST_DATABASE_KIND = database.kind;
  process.env.MONGODB_URI ??= database.uri;
  process.stderr.write(
    `[test-db] ${database.kind} database at ${database.uri} (${Date.now() - started} ms)\n`,
  );
}
