import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { registerSearchAttributes } from './search-attributes';
import { temporalBinary } from './temporal-binary';

export interface DevServerOptions {
  /** SQLite file for a persistent server; in memory when absent. */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  /** The remote codec the UI decodes payloads with (`--ui-codec-endpoint`). */
  codecEndpoint?: string;
  namespace?: string;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the real Temporal dev server (the CLI's `server start-dev`), waits until it answers and
 * registers our search attributes. The binary is spawned directly, not through a shell, so stopping
 * it leaves no orphan.
 */
export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  args.push(
    '--namespace',
    namespace,
    '--http-port',
    String(await freePort()),
    '--metrics-port',
    String(await freePort()),
  );
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  if (options.codecEndpoint && !options.headless) args.push('--ui-codec-endpoint', options.codecEndpoint);

  const child = spawn(temporalBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilReady(
      address,
      namespace,
      options.readyTimeoutMs ?? 90_000,
      () => child.exitCode !== null,
      () => stderr,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl: options.headless ? null : `http://127.0.0.1:${uiPort}`, process: child, stop };
}

async function waitUntilReady(
  address: string,
  namespace: string,
  timeoutMs: number,
  hasExited: () => boolean,
  stderr: () => string,
): Promise<void> {
  // The SDK's own connect timeout is 5 s, too short for a cold start on 2 cores: poll with ours.
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`temporal dev server exited during start: ${stderr()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        await registerSearchAttributes(connection, namespace);
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`temporal dev server not ready after ${timeoutMs} ms: ${String(lastError)}`);
}
