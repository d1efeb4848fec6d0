import { loadConfigOrExit } from '../config';
import { createDb } from '../db/client';
import { createLogger } from '../lib/logger';
import { connectTemporal } from '../lib/temporal-client';
import { createQuickBooks } from '../connections/create-quickbooks';
import { createApp } from './app';
import { listen } from './listen';
import { resumePausedSyncs } from './services/resume-paused-syncs';

/** The API process: `tsx api/server.ts`. */
async function main() {
  const config = loadConfigOrExit(undefined, { usesSecrets: true, listensOn: 'API_HOST' });
  const logger = createLogger('api', config.LOG_LEVEL);
  const database = createDb(config.DATABASE_URL);
  const temporal = await connectTemporal(config);
  const { qbo } = createQuickBooks(config, database.db, logger);
  const app = createApp({
    config,
    db: database.db,
    temporal: temporal.client,
    logger,
    qbo,
    resumePausedSyncs: (realmId, reason) => resumePausedSyncs(temporal.client, database.db, realmId, reason),
  });
  const server = listen(
    app.fetch,
    {
      host: config.API_HOST,
      port: config.API_PORT,
      headersTimeoutMs: config.API_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.API_REQUEST_TIMEOUT_MS,
      maxConnections: config.API_MAX_CONNECTIONS,
    },
    (info) => logger.info({ host: info.address, port: info.port }, 'api listening'),
  );
  const stop = async () => {
    server.close();
    await temporal.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`qbo-sync api: failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
