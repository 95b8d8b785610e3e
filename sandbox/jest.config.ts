import type { Config } from 'jest';

// Run from the repo root: npx jest --config sandbox/jest.config.ts
const config: Config = {
  rootDir: '..',
  roots: ['<rootDir>/sandbox'],
  testRegex: 'sandbox/test/.*\\.spec\\.ts$',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/server/tsconfig.json' }] },
  testTimeout: 30_000,
};

export default config;
