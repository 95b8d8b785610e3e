import type { Config } from 'jest';

// ES-module-only packages (NestJS 12 and what it loads) that Jest must compile to CommonJS.
const ESM_PACKAGES = [
  '@nestjs',
  'bcryptjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'uint8array-extras',
];

/** ts-jest for our TypeScript, plus the ESM-to-CJS transformer for the packages above. */
export const jestTransform: Pick<Config, 'transform' | 'transformIgnorePatterns'> = {
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/server/tsconfig.json' }],
    '^.+[\\\\/]node_modules[\\\\/].+\\.m?js$':
      '<rootDir>/server/test/support/esm-to-cjs.transformer.cjs',
  },
  transformIgnorePatterns: [`[\\\\/]node_modules[\\\\/](?!(${ESM_PACKAGES.join('|')})[\\\\/])`],
};
