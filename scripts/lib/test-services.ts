import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dropDatabase, setUpDatabase } from '../../db/migrate';
import { buildWorkflowBundle } from '../build-workflow-bundle';
import { Children } from './children';
import { freePort } from './free-port';
import { startTemporalDevServer, type DevServer } from './temporal-dev-server';
import { waitForHttp } from './wait-for-http';

/** Where the started services are, as the environment test/support/env.ts reads. */
export interface TestServicesEnv {
  TEMPORAL_ADDRESS: string;
  DATABASE_URL: string;
  QBO_SIM_URL: string;
  WORKFLOW_BUNDLE_PATH: string;
}

export interface TestServices {
  /** Builds the workflow bundle, then starts Temporal, creates and migrates the database, starts the simulator. */
  start(log?: (title: string) => void): Promise<TestServicesEnv>;
  /** Stops whatever start() got to, and drops the database if it was created. Safe to call at any time, twice. */
  stop(): Promise<void>;
}

/**
 * The services `npm test` and `npm run bench` run against: a real Temporal dev server in memory on random
 * ports, a throwaway database (`qbo_sync_<purpose>_<random>`) on the configured Postgres server
 * (DATABASE_URL names the server) and the QuickBooks simulator in its own process.
 */
export function createTestServices(purpose: 'test' | 'bench'): TestServices {
  const root = path.join(__dirname, '..', '..');
  const children = new Children();
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  server.pathname = `/qbo_sync_${purpose}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = server.toString();
  let temporal: DevServer | undefined;
  let databaseCreated = false;

  return {
    async start(log = () => {}) {
      log('workflow bundle');
      const bundlePath = await buildWorkflowBundle();
      log('services: Temporal dev server, Postgres database, QuickBooks simulator');
      temporal = await startTemporalDevServer({ headless: true });
      await setUpDatabase(databaseUrl);
      databaseCreated = true;
      const simPort = await freePort();
      children.tsx(path.join(root, 'simulator', 'main.ts'), ['--port', String(simPort)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const simUrl = `http://127.0.0.1:${simPort}`;
      await waitForHttp(`${simUrl}/_sim/health`);
      return {
        TEMPORAL_ADDRESS: temporal.address,
        DATABASE_URL: databaseUrl,
        QBO_SIM_URL: simUrl,
        WORKFLOW_BUNDLE_PATH: bundlePath,
      };
    },
    async stop() {
      await children.stopAll();
      const started = temporal;
      temporal = undefined;
      await started?.stop();
      if (databaseCreated) {
        databaseCreated = false;
        await dropDatabase(databaseUrl).catch((err) =>
          console.error(`could not drop ${databaseUrl}: ${err}`),
        );
      }
    },
  };
}
