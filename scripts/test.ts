import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { dropDatabase, setUpDatabase } from '../db/migrate';
import { buildWorkflowBundle } from './build-workflow-bundle';
import { Children } from './lib/children';
import { freePort } from './lib/free-port';
import { startTemporalDevServer, type DevServer } from './lib/temporal-dev-server';
import { waitForHttp } from './lib/wait-for-http';

/**
 * `npm test`: everything a fresh machine needs, then every test. Lint, typecheck and the workflow
 * bundle first; then a real Temporal dev server (in memory, random ports), a database of its own in
 * the machine's Postgres and the QuickBooks simulator; then node's test runner over test/. Everything
 * it started is stopped, and the database dropped, whatever happens. Arguments narrow the test files
 * by path prefix (`npm test -- test/unit`).
 */
const root = path.join(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function step(title: string, command: string, args: string[]) {
  console.log(`\n== ${title}`);
  execFileSync(command, args, { stdio: 'inherit', cwd: root });
}

function testFiles(filters: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.test.ts')) found.push(path.relative(root, full));
    }
  };
  walk(path.join(root, 'test'));
  return found
    .sort()
    .filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p.replace(/^\.\//, ''))));
}

async function main() {
  // `--no-checks` skips lint/format/typecheck while iterating locally; CI always runs them.
  const skipChecks = process.argv.includes('--no-checks') && !process.env.CI;
  const filters = process.argv.slice(2).filter((a) => a !== '--no-checks');
  const children = new Children();
  let temporal: DevServer | undefined;
  // A database of this run's own on the configured server (DATABASE_URL names the server to use).
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  server.pathname = `/qbo_sync_test_${randomBytes(4).toString('hex')}`;
  const databaseUrl = server.toString();
  let databaseCreated = false;
  let exitCode = 1;

  const cleanUp = async () => {
    await children.stopAll();
    await temporal?.stop();
    if (databaseCreated)
      await dropDatabase(databaseUrl).catch((err) => console.error(`could not drop ${databaseUrl}: ${err}`));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));

  try {
    if (!skipChecks) {
      step('lint', bin('eslint'), ['.', '--max-warnings=0']);
      step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
      step('typecheck', bin('tsc'), ['--noEmit', '-p', '.']);
    }
    step('chromium for the browser tests', 'bash', [path.join(root, 'scripts', 'ensure-chromium.sh')]);
    console.log('\n== workflow bundle');
    const bundlePath = await buildWorkflowBundle();

    console.log('\n== services: Temporal dev server, Postgres database, QuickBooks simulator');
    temporal = await startTemporalDevServer({ headless: true });
    await setUpDatabase(databaseUrl);
    databaseCreated = true;
    const simPort = await freePort();
    children.tsx(path.join(root, 'simulator', 'main.ts'), ['--port', String(simPort)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const simUrl = `http://127.0.0.1:${simPort}`;
    await waitForHttp(`${simUrl}/_sim/health`);

    const files = testFiles(filters);
    if (files.length === 0) throw new Error(`no test files match ${filters.join(' ')}`);
    console.log(`\n== tests (${files.length} files)`);
    const tapFile = path.join(root, '.build', `test-results-${process.pid}.tap`);
    const run = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          TEMPORAL_ADDRESS: temporal.address,
          DATABASE_URL: databaseUrl,
          QBO_SIM_URL: simUrl,
          WORKFLOW_BUNDLE_PATH: bundlePath,
        },
      },
    );
    exitCode = await new Promise<number>((resolve) => run.once('exit', (code) => resolve(code ?? 1)));
    const tap = readFileSync(tapFile, 'utf8');
    // The runner's own summary is the last of these lines (test output may echo similar ones before it).
    const count = (key: string) =>
      Number([...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
    const passed = count('pass');
    const failed = count('fail') + count('cancelled');
    if (passed + failed === 0) exitCode = 1;
    await cleanUp();
    console.log(`${passed} passed, ${failed} failed`);
  } catch (err) {
    console.error(`\ntest run aborted: ${(err as Error).message}`);
    await cleanUp();
    console.log('0 passed, 1 failed');
  }
  process.exit(exitCode);
}

void main();
