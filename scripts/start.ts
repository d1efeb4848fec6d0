import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config';
import { setUpDatabase } from '../db/migrate';
import { Children } from './lib/children';
import { ensureDemoCompany, type DemoCompany } from './lib/demo-company';
import { startTemporalDevServer, type DevServer } from './lib/temporal-dev-server';
import { waitForHttp } from './lib/wait-for-http';
import { watchAncestors } from './lib/watch-ancestors';
import { workerProcessEnv } from './lib/worker-process';

/**
 * `npm start`: the whole system on one machine with local defaults — the Temporal dev server
 * (persistent SQLite under data/, UI on :8233), the app database in the local Postgres, the QuickBooks
 * simulator (with a demo company, connected, unless NODE_ENV=production or DEMO_COMPANY=off), the worker and
 * the API. Ctrl-C, SIGTERM, SIGHUP or the end of any process above this one (npm does not pass SIGTERM
 * on) stops every child; each Node child also stops by itself should this process die first.
 */
const root = path.join(__dirname, '..');

async function main() {
  const config = loadConfigOrExit();
  const children = new Children();
  let temporal: DevServer | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await children.stopAll();
    await temporal?.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  watchAncestors(() => void shutdown(0));
  // A closed terminal makes writes fail; that must not crash the stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  process.on('exit', () => {
    children.killAll();
    if (temporal && temporal.process.exitCode === null) temporal.process.kill('SIGKILL');
  });

  try {
    const dataDir = path.resolve(root, config.DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    const [host, port] = config.TEMPORAL_ADDRESS.split(':');
    if (host !== '127.0.0.1' && host !== 'localhost')
      throw new Error('npm start runs a local Temporal; unset TEMPORAL_ADDRESS or point it at localhost');
    temporal = await startTemporalDevServer({
      dbFile: path.join(dataDir, 'temporal.db'),
      port: Number(port),
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      // The UI decodes the encrypted payloads through the API's codec endpoint, which npm start enables.
      codecEndpoint: `http://localhost:${config.API_PORT}/codec`,
    });
    await setUpDatabase(config.DATABASE_URL);

    const simulatorUrl = `http://127.0.0.1:${config.SIMULATOR_PORT}`;
    const simulatorIsLocal = config.QBO_API_BASE_URL.startsWith(simulatorUrl);
    const stopOnExit = (entry: string, child: ReturnType<Children['tsx']>) =>
      child.once('exit', (code) => {
        if (!stopping) {
          console.error(`${entry} exited (${code}); stopping everything`);
          void shutdown(1);
        }
      });
    if (simulatorIsLocal) {
      const simulator = children.tsx(path.join(root, 'simulator', 'main.ts'), [
        '--port',
        String(config.SIMULATOR_PORT),
        '--state-file',
        path.join(dataDir, 'simulator.json'),
      ]);
      stopOnExit('simulator/main.ts', simulator);
      await waitForHttp(`${simulatorUrl}/_sim/health`);
    }
    for (const entry of ['worker/main.ts', 'api/server.ts']) {
      const env = { ...process.env, CODEC_ENDPOINT: 'on' };
      stopOnExit(
        entry,
        children.tsx(path.join(root, entry), [], {
          env: entry === 'worker/main.ts' ? workerProcessEnv(env) : env,
        }),
      );
    }
    const apiUrl = `http://127.0.0.1:${config.API_PORT}`;
    await waitForHttp(`${apiUrl}/healthz`);
    let demo: DemoCompany | undefined;
    if (simulatorIsLocal && config.NODE_ENV !== 'production' && config.DEMO_COMPANY === 'on') {
      demo = await ensureDemoCompany({
        simUrl: simulatorUrl,
        apiUrl,
        adminKey: config.adminApiKeys[0],
        realmId: config.DEMO_REALM_ID,
      });
    }
    console.log(
      [
        '',
        'qbo-sync is running:',
        `  API            http://localhost:${config.API_PORT}  (health: /healthz, docs: /v1/docs)`,
        `  Diagnostics    http://localhost:${config.API_PORT}/admin`,
        `  Temporal UI    ${temporal.uiUrl?.replace('127.0.0.1', 'localhost')}`,
        simulatorIsLocal
          ? `  QuickBooks sim ${simulatorUrl}  (control surface: /_sim, see simulator/README.md)`
          : `  QuickBooks     ${config.QBO_API_BASE_URL}`,
        demo
          ? `  Demo company   ${demo.companyName}, realm ${demo.realmId}, connected (${demo.outcome}); see "Try it" in README.md`
          : '  No demo company (NODE_ENV=production, DEMO_COMPANY=off or no local simulator)',
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`qbo-sync: start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
