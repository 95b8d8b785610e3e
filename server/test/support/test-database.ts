import { randomBytes } from 'node:crypto';
import { startDatabase, type DatabaseHandle } from '../../src/database/launcher';
import { withDatabaseName } from '../../src/database/launcher/database-uri';

/**
 * A connection string for a database of its own on the run's test server
 * (`shop_test_<name>_<random>`), so test files never see each other's data.
 */
export function testDatabaseUri(name: string): string {
  const base = process.env.TEST_MONGODB_URI ?? process.env.MONGODB_URI;
  if (!base)
    throw new Error(
      'TEST_MONGODB_URI is not set: run e2e tests with server/test/jest-e2e.config.ts',
    );
  const safeName = name.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 32);
  return withDatabaseName(base, `shop_test_${safeName}_${randomBytes(4).toString('hex')}`);
}

/**
 * An embedded database process of the caller's own (not the run's shared one), for tests that
 * freeze or kill it. Started even when MONGODB_URI is set: such tests need a process to signal.
 */
export async function startOwnDatabase(): Promise<DatabaseHandle & { pid: number }> {
  const saved = process.env.MONGODB_URI;
  delete process.env.MONGODB_URI;
  try {
    const database = await startDatabase({ mode: 'ephemeral', log: () => undefined });
    if (database.pid === undefined) {
      await database.stop();
      throw new Error(
        `A ${database.kind} database has no process to signal; build the embedded one`,
      );
    }
    return { ...database, pid: database.pid };
  } finally {
    if (saved !== undefined) process.env.MONGODB_URI = saved;
  }
}
