import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.build/', 'data/', 'db/migrations/', 'test/replay/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflows must stay deterministic: no I/O libraries, no Node built-ins, no value imports of I/O code.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'],
              message: 'workflows are deterministic: no Node built-ins',
            },
            {
              group: [
                'axios',
                'intuit-oauth',
                'postgres',
                'drizzle-orm',
                'drizzle-orm/*',
                'hono',
                'hono/*',
                'pino',
              ],
              message: 'workflows are deterministic: I/O belongs in activities/',
            },
            {
              group: ['../activities/*', '../db/*', '../api/*', '../simulator/*'],
              allowTypeImports: true,
              message: 'only type imports from I/O layers',
            },
          ],
        },
      ],
    },
  },
);
