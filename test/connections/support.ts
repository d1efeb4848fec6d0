import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { setUpDatabase } from '../../db/migrate';

/** DATABASE_URL when set, else this suite's own database (created and migrated on first use). */
export const databaseUrl =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/qbo_sync_test_connections';

let ready: Promise<string> | undefined;
export function prepareDatabase(): Promise<string> {
  ready ??= setUpDatabase(databaseUrl).then(() => databaseUrl);
  return ready;
}

/** A realm id no other test (or engineer sharing the database) uses. */
export function uniqueRealmId(): string {
  return `9${Date.now()}${randomInt(1000, 9999)}`;
}

/** Whether `promise` settles within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every stdout line that parsed as JSON. */
  messages: any[];
}

/** Runs one of this folder's scripts in its own Node process through tsx. */
export function runChild(
  script: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<ChildResult> {
  const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join(__dirname, script)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const messages = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      resolve({ code, stdout, stderr, messages });
    });
  });
}
