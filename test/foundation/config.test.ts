import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a process entry the way production does (`node --import tsx <entry>`) and waits for it to exit. */
function runEntry(entry: string, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} still running after ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('configuration: a bad value stops a process at start, naming the variable', () => {
  // Every service the processes could reach points at this listener: if a process started anything
  // (Temporal, Postgres, QuickBooks) despite the bad value, it would show up here as a connection.
  const decoy = net.createServer((socket) => socket.destroy());
  let decoyConnections = 0;
  let base: NodeJS.ProcessEnv;

  before(async () => {
    decoy.on('connection', () => decoyConnections++);
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const decoyUrl = `127.0.0.1:${(decoy.address() as net.AddressInfo).port}`;
    const { NODE_ENV: _nodeEnv, ...inherited } = process.env;
    base = {
      ...inherited,
      TEMPORAL_ADDRESS: decoyUrl,
      DATABASE_URL: `postgres://postgres@${decoyUrl}/qbo_sync_never_used`,
      QBO_API_BASE_URL: `http://${decoyUrl}`,
      QBO_AUTHORIZE_URL: `http://${decoyUrl}/connect/oauth2`,
      QBO_TOKEN_URL: `http://${decoyUrl}/oauth2/v1/tokens/bearer`,
      QBO_REVOKE_URL: `http://${decoyUrl}/oauth2/v1/tokens/revoke`,
    };
  });
  after(() => new Promise<void>((resolve) => decoy.close(() => resolve())));

  const cases: { entry: string; variable: string; value: string }[] = [];
  for (const entry of ['api/server.ts', 'worker/main.ts']) {
    cases.push({ entry, variable: 'DATABASE_URL', value: 'mysql://root@db/qbo' });
    cases.push(
      entry === 'api/server.ts'
        ? { entry, variable: 'API_PORT', value: '70000' }
        : { entry, variable: 'WORKER_METRICS_PORT', value: 'metrics' },
    );
    cases.push({ entry, variable: 'TOKEN_ENCRYPTION_KEYS', value: 'k1:not-a-32-byte-key' });
  }

  for (const { entry, variable, value } of cases) {
    it(`${entry} with ${variable}=${value} exits 2 with one line naming ${variable}, and starts nothing`, async () => {
      const connectionsBefore = decoyConnections;
      const exit = await runEntry(entry, { ...base, [variable]: value });

      assert.equal(exit.code, 2, `exit code; stderr: ${exit.stderr}`);
      const lines = exit.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line on stderr, got:\n${exit.stderr}`);
      assert.match(lines[0], new RegExp(`^qbo-sync: invalid configuration: .*\\b${variable}\\b`));
      assert.equal(exit.stdout, '', 'nothing logged as started');
      assert.ok(exit.ms < 15_000, `stopped within seconds (took ${exit.ms} ms)`);
      assert.equal(
        decoyConnections,
        connectionsBefore,
        'no connection to Temporal, Postgres or QuickBooks was attempted',
      );
    });
  }
});
