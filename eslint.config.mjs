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
  ...layerRules(),
);

/**
 * The house's walls: which folder may import which. Each rule names what a layer may not reach;
 * test/foundation/layer-boundaries.test.ts plants a wrong-direction import in each and checks lint refuses it.
 */
function layerRules() {
  const up = (...folders) => folders.flatMap((f) => [`../${f}`, `../${f}/*`, `../../${f}`, `../../${f}/*`]);
  const io = ['axios', 'intuit-oauth', 'postgres', 'drizzle-orm', 'drizzle-orm/*', 'hono', 'hono/*', 'pino'];
  const nodeBuiltIns = ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'];
  const noSimulator = { group: up('simulator'), message: 'production code never imports the simulator' };
  const noEnv = {
    'no-restricted-properties': [
      'error',
      { object: 'process', property: 'env', message: 'read configuration through config.ts only' },
    ],
  };
  const restrict = (files, patterns, extra = {}) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns }], ...extra },
  });
  return [
    // Workflows must stay deterministic: no I/O libraries, no Node built-ins, no value imports of I/O code.
    restrict(
      ['workflows/**/*.ts'],
      [
        { group: nodeBuiltIns, message: 'workflows are deterministic: no Node built-ins' },
        { group: io, message: 'workflows are deterministic: I/O belongs in activities/' },
        {
          group: up(
            'activities',
            'db',
            'api',
            'quickbooks',
            'connections',
            'sync',
            'worker',
            'lib',
            'config',
          ),
          allowTypeImports: true,
          message: 'workflows take only type imports from the layers that do I/O',
        },
        noSimulator,
      ],
    ),
    // db/ is the bottom layer: it imports nothing above it.
    restrict(
      ['db/**/*.ts'],
      [
        {
          group: up('activities', 'api', 'quickbooks', 'connections', 'sync', 'worker', 'workflows'),
          message: 'db/ imports nothing above it',
        },
        noSimulator,
      ],
    ),
    // The domain (quickbooks/, connections/, sync/) knows nothing of Temporal, HTTP serving or activities.
    restrict(
      ['quickbooks/**/*.ts', 'connections/**/*.ts', 'sync/**/*.ts', 'desktop/**/*.ts'],
      [
        { group: ['@temporalio/*'], message: 'domain modules are Temporal-free: adapt in activities/' },
        { group: ['hono', 'hono/*', '@hono/*'], message: 'domain modules do not serve HTTP' },
        { group: up('activities', 'api', 'worker'), message: 'domain modules sit below the faces' },
        noSimulator,
      ],
      noEnv,
    ),
    // quickbooks/ is the lowest domain module: it does not reach for connections/ or sync/.
    restrict(
      ['quickbooks/**/*.ts'],
      [
        { group: ['@temporalio/*'], message: 'domain modules are Temporal-free: adapt in activities/' },
        {
          group: up('activities', 'api', 'worker', 'connections', 'sync'),
          message: 'quickbooks/ is the lowest domain module',
        },
        noSimulator,
      ],
      noEnv,
    ),
    // The HTTP face never reaches into the Temporal adapters.
    restrict(
      ['api/**/*.ts', 'api/**/*.tsx'],
      [
        {
          group: up('activities', 'worker'),
          message: 'api/ talks to workflows through the Temporal client, not activities/',
        },
        noSimulator,
      ],
      noEnv,
    ),
    restrict(
      ['activities/**/*.ts', 'worker/**/*.ts', 'lib/**/*.ts'],
      [{ group: up('api'), message: 'the worker side does not import the HTTP face' }, noSimulator],
      noEnv,
    ),
  ];
}
