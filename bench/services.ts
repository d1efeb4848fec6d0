import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dropDatabase, setUpDatabase } from '../db/migrate';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import { Children } from '../scripts/lib/children';
import { freePort } from '../scripts/lib/free-port';
import { startTemporalDevServer, type DevServer } from '../scripts/lib/temporal-dev-server';
import { waitForHttp } from '../scripts/lib/wait-for-http';

export interface BenchServices {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The services `npm test` provides (scripts/test.ts), for the bench: a Temporal dev server in memory, a
 * throwaway database on the machine's Postgres and the simulator in its own process. Their addresses are
 * put in process.env, so test/support/system.ts starts the worker and API against them.
 */
export async function startBenchServices(): Promise<BenchServices> {
  const root = path.join(__dirname, '..');
  const children = new Children();
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  server.pathname = `/qbo_sync_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = server.toString();
  const bundlePath = await buildWorkflowBundle();
  const temporal: DevServer = await startTemporalDevServer({ headless: true });
  await setUpDatabase(databaseUrl);
  const simPort = await freePort();
  children.tsx(path.join(root, 'simulator', 'main.ts'), ['--port', String(simPort)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const simUrl = `http://127.0.0.1:${simPort}`;
  await waitForHttp(`${simUrl}/_sim/health`);
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: databaseUrl,
    QBO_SIM_URL: simUrl,
    WORKFLOW_BUNDLE_PATH: bundlePath,
  };
  Object.assign(process.env, env);
  return {
    env,
    async stop() {
      await children.stopAll();
      await temporal.stop();
      await dropDatabase(databaseUrl).catch((err) => console.error(`could not drop ${databaseUrl}: ${err}`));
    },
  };
}
