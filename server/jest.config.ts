import type { Config } from 'jest';
import { jestTransform } from './test/support/jest-transform';

// Unit specs beside the code. Run from the repo root: npx jest --config server/jest.config.ts
const config: Config = {
  rootDir: '..',
  roots: ['<rootDir>/server/src', '<rootDir>/sandbox/src'],
  testRegex: '(server|sandbox)/src/.*\\.spec\\.ts$',
  testEnvironment: 'node',
  ...jestTransform,
};

export default config;
