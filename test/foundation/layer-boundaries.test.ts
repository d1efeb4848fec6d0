import { ESLint } from 'eslint';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';

/**
 * The import directions of eslint.config.mjs (`layerRules`) are real: a wrong-direction import planted in
 * each layer is refused by lint with the rule's message, and the legal imports beside it pass. The planted
 * code is linted from memory as `<folder>/planted.ts`; the project service only knows files on disk, so
 * these lint runs parse without type information (the layer rules need none) and skip the one type-aware
 * rule.
 */
const root = path.join(__dirname, '..', '..');

interface Planted {
  name: string;
  file: string;
  code: string;
  /** The rule and a part of its message lint must report; absent for a legal import. */
  refused?: { rule: 'no-restricted-imports' | 'no-restricted-properties'; message: RegExp };
}

const planted: Planted[] = [
  {
    name: 'api/ importing activities/',
    file: 'api/routes/planted.ts',
    code: `import { createActivities } from '../../activities';\nexport const planted = createActivities;\n`,
    refused: {
      rule: 'no-restricted-imports',
      message: /api\/ talks to workflows through the Temporal client/,
    },
  },
  {
    name: 'db/ importing connections/',
    file: 'db/queries/planted.ts',
    code: `import { createTokenStore } from '../../connections/token-store';\nexport const planted = createTokenStore;\n`,
    refused: { rule: 'no-restricted-imports', message: /db\/ imports nothing above it/ },
  },
  {
    name: 'db/ importing quickbooks/',
    file: 'db/planted.ts',
    code: `import { createQboClient } from '../quickbooks/client';\nexport const planted = createQboClient;\n`,
    refused: { rule: 'no-restricted-imports', message: /db\/ imports nothing above it/ },
  },
  {
    name: 'workflows/ taking a value import of activities/',
    file: 'workflows/planted.ts',
    code: `import { createActivities } from '../activities';\nexport const planted = createActivities;\n`,
    refused: { rule: 'no-restricted-imports', message: /workflows take only type imports/ },
  },
  {
    name: 'workflows/ taking a value import of db/',
    file: 'workflows/planted.ts',
    code: `import { getLink } from '../db/queries/links';\nexport const planted = getLink;\n`,
    refused: { rule: 'no-restricted-imports', message: /workflows take only type imports/ },
  },
  {
    name: 'quickbooks/ importing @temporalio',
    file: 'quickbooks/planted.ts',
    code: `import { ApplicationFailure } from '@temporalio/common';\nexport const planted = ApplicationFailure;\n`,
    refused: { rule: 'no-restricted-imports', message: /domain modules are Temporal-free/ },
  },
  {
    name: 'desktop/ importing @temporalio',
    file: 'desktop/planted.ts',
    code: `import { Context } from '@temporalio/activity';\nexport const planted = Context;\n`,
    refused: { rule: 'no-restricted-imports', message: /domain modules are Temporal-free/ },
  },
  {
    name: 'connections/ reading process.env',
    file: 'connections/planted.ts',
    code: `export const planted = process.env.DATABASE_URL;\n`,
    refused: { rule: 'no-restricted-properties', message: /read configuration through config\.ts only/ },
  },
  {
    name: 'sync/ reading process.env',
    file: 'sync/planted.ts',
    code: `export const planted = process.env.QBO_MINOR_VERSION;\n`,
    refused: { rule: 'no-restricted-properties', message: /read configuration through config\.ts only/ },
  },
  {
    name: 'api/ importing the simulator',
    file: 'api/planted.ts',
    code: `import * as simulator from '../simulator/main';\nexport const planted = simulator;\n`,
    refused: { rule: 'no-restricted-imports', message: /production code never imports the simulator/ },
  },
  {
    name: 'worker/ importing the HTTP face',
    file: 'worker/planted.ts',
    code: `import { createApp } from '../api/app';\nexport const planted = createApp;\n`,
    refused: { rule: 'no-restricted-imports', message: /the worker side does not import the HTTP face/ },
  },
  {
    name: 'activities/ importing the HTTP face',
    file: 'activities/planted.ts',
    code: `import { ApiError } from '../api/errors';\nexport const planted = ApiError;\n`,
    refused: { rule: 'no-restricted-imports', message: /the worker side does not import the HTTP face/ },
  },
  {
    name: 'lib/ importing the HTTP face',
    file: 'lib/planted.ts',
    code: `import { createApp } from '../api/app';\nexport const planted = createApp;\n`,
    refused: { rule: 'no-restricted-imports', message: /the worker side does not import the HTTP face/ },
  },
  {
    name: 'workflows/ taking a type import of activities/ (legal)',
    file: 'workflows/planted.ts',
    code: `import type { createActivities } from '../activities';\nexport type Planted = ReturnType<typeof createActivities>;\n`,
  },
  {
    name: 'api/ importing db/ and the workflow contract (legal)',
    file: 'api/routes/planted.ts',
    code: `import { getLink } from '../../db/queries/links';\nimport { retrySignal } from '../../workflows/contract';\nexport const planted = [getLink, retrySignal];\n`,
  },
  {
    name: 'connections/ importing quickbooks/ and db/ (legal)',
    file: 'connections/planted.ts',
    code: `import { QboFault } from '../quickbooks/faults';\nimport { getConnection } from '../db/queries/connections';\nexport const planted = [QboFault, getConnection];\n`,
  },
];

describe('layer boundaries: lint refuses a wrong-direction import in every layer', () => {
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({
      cwd: root,
      overrideConfig: [
        {
          files: ['**/*.ts', '**/*.tsx'],
          languageOptions: { parserOptions: { projectService: false } },
          rules: { '@typescript-eslint/no-floating-promises': 'off' },
        },
      ],
    });
  });

  it('plants an import in every folder a layer rule of eslint.config.mjs names', async () => {
    const config: { files?: string[]; rules?: Record<string, unknown> }[] = (
      await import(pathToFileURL(path.join(root, 'eslint.config.mjs')).href)
    ).default;
    const layerFolders = config
      .filter((entry) => entry.rules?.['no-restricted-imports'] && entry.files)
      .flatMap((entry) => entry.files!.map((glob) => glob.split('/')[0]));
    assert.ok(layerFolders.length >= 6, `layer rules found: ${layerFolders.join(', ')}`);
    const refusedIn = new Set(planted.filter((p) => p.refused).map((p) => p.file.split('/')[0]));
    for (const folder of new Set(layerFolders))
      assert.ok(refusedIn.has(folder), `a wrong-direction import is planted in ${folder}/`);
  });

  for (const p of planted) {
    it(p.refused ? `refuses ${p.name}` : `allows ${p.name}`, async () => {
      const [result] = await eslint.lintText(p.code, { filePath: path.join(root, p.file) });
      const found = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
      if (!p.refused) {
        assert.deepEqual(found, [], `${p.file} is legal`);
        return;
      }
      const { rule, message } = p.refused;
      assert.ok(
        result.messages.some((m) => m.ruleId === rule && m.severity === 2 && message.test(m.message)),
        `${p.file}: expected ${rule} /${message.source}/, lint said: ${found.join(' | ') || 'nothing'}`,
      );
    });
  }
});
