import { randomBytes } from 'node:crypto';
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
