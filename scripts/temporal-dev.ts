import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { startTemporalDevServer } from './lib/temporal-dev-server';

/** `npm run temporal:dev`: only the Temporal dev server (persistent, UI on :8233), for running the processes alone. */
const dataDir = path.join(__dirname, '..', 'data');
mkdirSync(dataDir, { recursive: true });
startTemporalDevServer({ dbFile: path.join(dataDir, 'temporal.db'), port: 7233, uiPort: 8233 }).then(
  (server) => {
    console.log(`temporal dev server on ${server.address}, UI ${server.uiUrl}`);
    const stop = () => void server.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (err) => {
    console.error(err.message);
    process.exit(1);
  },
);
