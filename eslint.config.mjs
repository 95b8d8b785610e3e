// Lints the server, the sandbox, the storefront and the scripts with typescript-eslint's
// recommended rules (not the type-checked set, to keep `npm run lint` fast on CI).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.data/**',
      '.angular/**',
      'coverage/**',
      'test-artifacts/**',
      'client/src/app/api/openapi.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests inspect arbitrary JSON from real HTTP answers.
    files: ['**/test/**', '**/*.spec.ts', 'client/e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: [
      'client/src/**/*.ts',
      'client/public/**/*.js',
      'client/e2e/**',
      'sandbox/src/checkout/**',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
);
