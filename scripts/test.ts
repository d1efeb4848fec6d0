import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTestServices } from './lib/test-services';

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
  const services = createTestServices('test');
  let exitCode = 1;

  const cleanUp = () => services.stop();
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));

  try {
    if (!skipChecks) {
      step('lint', bin('eslint'), ['.', '--max-warnings=0']);
      step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
      step('typecheck', bin('tsc'), ['--noEmit', '-p', '.']);
    }
    step('chromium for the browser tests', 'bash', [path.join(root, 'scripts', 'ensure-chromium.sh')]);
    const env = await services.start((title) => console.log(`\n== ${title}`));

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
        env: { ...process.env, NODE_ENV: 'test', ...env },
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
