import type { ChildProcess, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Children, stop } from '../../scripts/lib/children';
import { freePort } from '../../scripts/lib/free-port';
import { waitForHttp } from '../../scripts/lib/wait-for-http';
import { testServices } from './env';
import { http, type HttpResult } from './http';
import { workerProcessEnv } from '../../scripts/lib/worker-process';

const root = path.join(__dirname, '..', '..');

/** A token pair as the simulator's control surface hands it out. */
export interface SimTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  x_refresh_token_expires_in: number;
}

export interface System {
  apiUrl: string;
  simUrl: string;
  taskQueue: string;
  sourceKey: string;
  adminKey: string;
  /** Calls the API with the source key unless another key (or null for none) is given. */
  api<T = any>(method: string, urlPath: string, body?: unknown, key?: string | null): Promise<HttpResult<T>>;
  sim<T = any>(method: string, urlPath: string, body?: unknown): Promise<HttpResult<T>>;
  /** A new simulated QuickBooks company, connected to qbo-sync through the admin API. */
  newCompany(options?: Record<string, unknown>): Promise<{ realmId: string }>;
  /** Stores a token pair the simulator issued as the company's connection (admin API); returns its answer. */
  connect(realmId: string, tokens: SimTokens): Promise<HttpResult>;
  killWorker(signal?: NodeJS.Signals): Promise<void>;
  startWorker(): Promise<void>;
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts qbo-sync's own processes — a worker and the API, as production runs them — against the
 * services `npm test` provides: the real Temporal dev server, Postgres and the QuickBooks simulator.
 * Each call gets its own task queue, so test files do not see each other's workflows.
 */
export interface SystemOptions {
  /** Extra or overriding environment for the worker and the API. */
  env?: Record<string, string>;
  /** Another Temporal server than the shared one (e.g. a persistent one a chaos test restarts). */
  temporalAddress?: string;
  /** Receives every line the worker and API print (stdout and stderr), e.g. to scan logs for secrets. */
  onLog?: (line: string, source: 'worker' | 'api') => void;
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const services = testServices();
  const children = new Children();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sourceKey = `source-${randomBytes(8).toString('hex')}`;
  const adminKey = `admin-${randomBytes(8).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    TEMPORAL_ADDRESS: options.temporalAddress ?? services.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: services.databaseUrl,
    WORKFLOW_BUNDLE_PATH: services.workflowBundlePath,
    QBO_API_BASE_URL: services.simUrl,
    QBO_AUTHORIZE_URL: `${services.simUrl}/connect/oauth2`,
    QBO_TOKEN_URL: `${services.simUrl}/oauth2/v1/tokens/bearer`,
    QBO_REVOKE_URL: `${services.simUrl}/oauth2/v1/tokens/revoke`,
    QBO_REDIRECT_URI: `${apiUrl}/v1/connections/callback`,
    QBO_REQUEST_TIMEOUT_MS: '3000',
    QBO_THROTTLE_BACKOFF_MS: '1000',
    QBO_THROTTLE_MAX_BACKOFF_MS: '2000',
    API_PORT: String(apiPort),
    API_PUBLIC_URL: apiUrl,
    SOURCE_API_KEYS: sourceKey,
    ADMIN_API_KEYS: adminKey,
    // Every test talks from 127.0.0.1 and some send wrong keys on purpose (fuzz, roles): no lockout here;
    // test/security tests the lockout with its own limits.
    AUTH_MAX_FAILURES_PER_ADDRESS: '1000000',
    AUTH_MAX_FAILURES_PER_KEY: '1000000',
    ...options.env,
  };

  let worker: ChildProcess | undefined;
  let apiProcess: ChildProcess | undefined;
  const capture = (child: ChildProcess, source: 'worker' | 'api') => {
    if (!options.onLog) return child;
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) options.onLog!(line, source);
      });
    }
    return child;
  };
  const stdio: StdioOptions = options.onLog ? ['ignore', 'pipe', 'pipe'] : 'inherit';
  const startWorker = async () => {
    const workerEnv = workerProcessEnv({ ...env, WORKER_METRICS_PORT: String(await freePort()) });
    worker = capture(
      children.tsx(path.join(root, 'worker', 'main.ts'), [], { env: workerEnv, stdio }),
      'worker',
    );
  };
  const startApi = async () => {
    apiProcess = capture(children.tsx(path.join(root, 'api', 'server.ts'), [], { env, stdio }), 'api');
    await waitForHttp(`${apiUrl}/healthz`, 60_000);
  };
  await startWorker();
  await startApi();

  const system: System = {
    apiUrl,
    simUrl: services.simUrl,
    taskQueue,
    sourceKey,
    adminKey,
    api: (method, urlPath, body, key) =>
      http(
        method,
        `${apiUrl}${urlPath}`,
        body,
        key === null ? {} : { authorization: `Bearer ${key ?? sourceKey}` },
      ),
    sim: (method, urlPath, body) => http(method, `${services.simUrl}${urlPath}`, body),
    async newCompany(companyOptions = {}) {
      const created = await system.sim('POST', '/_sim/companies', companyOptions);
      if (created.status !== 201) throw new Error(`simulator refused a company: ${created.text}`);
      const { realmId, tokens } = created.body;
      const seeded = await system.connect(realmId, tokens);
      if (seeded.status >= 300)
        throw new Error(`could not seed the connection: ${seeded.status} ${seeded.text}`);
      return { realmId };
    },
    connect: (realmId, tokens) =>
      system.api(
        'POST',
        `/v1/connections/${realmId}/tokens`,
        {
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          expiresIn: tokens.expires_in,
          refreshExpiresIn: tokens.x_refresh_token_expires_in,
        },
        adminKey,
      ),
    async killWorker(signal = 'SIGKILL') {
      if (!worker) return;
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill(signal);
      await exited;
    },
    startWorker,
    async restartApi() {
      if (apiProcess) await stop(apiProcess);
      await startApi();
    },
    stop: () => children.stopAll(),
  };
  return system;
}
