import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Figure } from './measure';

/**
 * Part 7: runs a test file at full size through node's test runner (as scripts/test.ts does) against the
 * bench's services, and reports pass/fail, the sizes and the duration, with the suite's own summary line.
 */
export async function runSuite(file: string, env: Record<string, string>, label: string): Promise<Figure> {
  const root = path.join(__dirname, '..');
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        output.push(chunk.toString('utf8'));
      });
    }
    child.once('exit', (c) => resolve(c ?? 1));
  });
  const text = output.join('');
  const summary = text.match(/^(?:chaos|api fuzz): .*$/gm)?.pop() ?? '';
  return {
    figure: label,
    value: `${code === 0 ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    how: `node --test ${file} with ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}${summary ? `; ${summary}` : ''}`,
  };
}
