import type { Config } from 'jest';
import { jestTransform } from './support/jest-transform';

// E2E tests against the real database: one embedded database per run (global-setup.ts),
// one database name per test file (support/test-database.ts).
// Run from the repo root: npx jest --config server/test/jest-e2e.config.ts --runInBand
const config: Config = {
  rootDir: '../..',
  roots: ['<rootDir>/server/test'],
  testRegex: 'server/test/.*\\.e2e-spec\\.ts$',
  testEnvironment: 'node',
  testTimeout: 60_000,
  globalSetup: '<rootDir>/server/test/global-setup.ts',
  globalTeardown: '<rootDir>/server/test/global-teardown.ts',
  ...jestTransform,
};

export default config;
