import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkDefaultSecrets, ConfigError, loadConfig } from '../../config';
import { freePort } from '../../scripts/lib/free-port';
import { waitForHttp } from '../../scripts/lib/wait-for-http';
import { testServices } from '../support/env';

/**
 * Findings 3 and 13: the API and the worker's metrics listen on loopback unless told otherwise, the
 * public default secrets are refused whenever they listen anywhere else, and the API bounds slow
 * clients (header timeout) and open connections (a limit).
 */
const root = path.join(__dirname, '..', '..');
const running: ChildProcess[] = [];

/** The services of `npm test`, and no secret at all: every secret is its public local default. */
function defaultsEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const services = testServices();
  const { NODE_ENV: _n, SOURCE_API_KEYS: _s, ADMIN_API_KEYS: _a, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: services.temporalAddress,
    DATABASE_URL: services.databaseUrl,
    WORKFLOW_BUNDLE_PATH: services.workflowBundlePath,
    QBO_API_BASE_URL: services.simUrl,
    TEMPORAL_TASK_QUEUE: 'listen-test',
    ...extra,
  };
}

function run(entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** Resolves true when a TCP connection to host:port is accepted, false when refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('listening: loopback by default, public defaults refused elsewhere, slow clients bounded', () => {
  after(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('defaults to loopback for the API and the worker metrics', () => {
    const config = loadConfig({});
    assert.equal(config.API_HOST, '127.0.0.1');
    assert.equal(config.WORKER_METRICS_HOST, '127.0.0.1');
    assert.doesNotThrow(() => checkDefaultSecrets(config, 'API_HOST'));
  });

  it('refuses every public default secret when listening beyond loopback, in development too', () => {
    for (const [variable, value] of [
      ['API_HOST', '0.0.0.0'],
      ['API_HOST', '::'],
      ['API_HOST', '192.168.1.20'],
      ['WORKER_METRICS_HOST', '0.0.0.0'],
    ] as const) {
      const config = loadConfig({ NODE_ENV: 'development', [variable]: value });
      assert.throws(
        () => checkDefaultSecrets(config, variable),
        (err: Error) =>
          err instanceof ConfigError &&
          ['SOURCE_API_KEYS', 'ADMIN_API_KEYS', 'TOKEN_ENCRYPTION_KEYS', 'PAYLOAD_ENCRYPTION_KEYS'].every(
            (n) => err.message.includes(`${n}: the public local default must not be used with ${variable}`),
          ),
        `${variable}=${value}`,
      );
    }
  });

  for (const [entry, variable] of [
    ['api/server.ts', 'API_HOST'],
    ['worker/main.ts', 'WORKER_METRICS_HOST'],
  ] as const) {
    it(`${entry} with ${variable}=0.0.0.0 and the default keys exits 2 naming them`, async () => {
      const proc = run(entry, defaultsEnv({ [variable]: '0.0.0.0', API_PORT: String(await freePort()) }));
      const code = await Promise.race([
        proc.exited,
        new Promise((r) => setTimeout(() => r('running'), 20_000)),
      ]);
      assert.equal(code, 2, `exit code; stderr: ${proc.stderr()}`);
      assert.match(proc.stderr(), new RegExp(`PAYLOAD_ENCRYPTION_KEYS: .*${variable}=0\\.0\\.0\\.0`));
    });
  }

  it('the API on defaults answers on 127.0.0.1 only, times out slow headers and caps connections', async () => {
    const port = await freePort();
    const api = run(
      'api/server.ts',
      defaultsEnv({ API_PORT: String(port), API_HEADERS_TIMEOUT_MS: '2000', API_MAX_CONNECTIONS: '4' }),
    );
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    assert.equal(await accepts('127.0.0.1', port), true);
    // 127.0.0.2 is this machine too, but only a server bound to every interface answers there.
    assert.equal(await accepts('127.0.0.2', port), false, 'not listening beyond 127.0.0.1');

    // Four idle connections take every slot: a fifth request is refused at once.
    const idle = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
            s.on('error', () => {});
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const began = Date.now();
    // A fresh socket (fetch would reuse a pooled keep-alive connection).
    const answered = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () =>
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let got = '';
      s.on('data', (c) => (got += c));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    const refused = answered === '';
    assert.ok(refused, 'the connection over the limit was closed');
    assert.ok(Date.now() - began < 1_500, `refused in ${Date.now() - began} ms`);
    for (const s of idle) s.destroy();
    await new Promise((r) => setTimeout(r, 200));

    // A client that never finishes its headers gets 408 after the header timeout, not a minute later.
    const slowStarted = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () =>
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'),
      );
      let got = '';
      s.on('data', (c) => (got += c));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    const waited = Date.now() - slowStarted;
    assert.match(answer, /^HTTP\/1\.1 408/, `answer: ${answer.slice(0, 80)}`);
    assert.ok(waited >= 1_900 && waited < 5_000, `408 after ${waited} ms`);
    api.child.kill('SIGTERM');
    await api.exited;
  });

  it('the worker on defaults serves metrics on 127.0.0.1 only', async () => {
    const port = await freePort();
    const worker = run('worker/main.ts', defaultsEnv({ WORKER_METRICS_PORT: String(port) }));
    await waitForHttp(`http://127.0.0.1:${port}/metrics`, 90_000);
    assert.equal(await accepts('127.0.0.2', port), false, 'metrics not beyond 127.0.0.1');
    worker.child.kill('SIGTERM');
    await worker.exited;
  });
});
