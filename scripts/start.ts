import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config';
import { setUpDatabase } from '../db/migrate';
import { Children } from './lib/children';
import { startTemporalDevServer, type DevServer } from './lib/temporal-dev-server';
import { waitForHttp } from './lib/wait-for-http';

/**
 * `npm start`: the whole system on one machine with local defaults — the Temporal dev server
 * (persistent SQLite under data/, UI on :8233), the app database in the local Postgres, the QuickBooks
 * simulator, the worker and the API. Ctrl-C stops every child.
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
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

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
    if (simulatorIsLocal) {
      children.tsx(path.join(root, 'simulator', 'main.ts'), [
        '--port',
        String(config.SIMULATOR_PORT),
        '--state-file',
        path.join(dataDir, 'simulator.json'),
      ]);
      await waitForHttp(`${simulatorUrl}/_sim/health`);
    }
    for (const entry of ['worker/main.ts', 'api/server.ts']) {
      const child = children.tsx(path.join(root, entry), [], {
        env: { ...process.env, CODEC_ENDPOINT: 'on' },
      });
      child.once('exit', (code) => {
        if (!stopping) {
          console.error(`${entry} exited (${code}); stopping everything`);
          void shutdown(1);
        }
      });
    }
    await waitForHttp(`http://127.0.0.1:${config.API_PORT}/healthz`);
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
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`qbo-sync: start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
