import { Client, Connection } from '@temporalio/client';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { loadConfig } from '../../config';
import { createDb } from '../../db/client';
import { payloadDataConverter } from '../../lib/payload-codec';
import { testServices } from '../support/env';

export const ADMIN_KEY = 'security-admin-key';
export const SOURCE_KEY = 'security-source-key';

export interface InProcessApi {
  app: ReturnType<typeof createApp>;
  config: ReturnType<typeof loadConfig>;
  temporal: Client;
  logs: string[];
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The API built by createApp on the services `npm test` provides (the real Temporal dev server and
 * Postgres), in this process, with its log lines captured. QuickBooks is never called by these tests.
 */
export async function inProcessApi(
  env: Record<string, string> = {},
  options: { temporalAddress?: string; databaseUrl?: string } = {},
): Promise<InProcessApi> {
  const services = testServices();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: options.databaseUrl ?? services.databaseUrl,
    ADMIN_API_KEYS: ADMIN_KEY,
    SOURCE_API_KEYS: SOURCE_KEY,
    ...env,
  });
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }),
  );
  const database = createDb(config.DATABASE_URL, { max: 2 });
  const connection = options.temporalAddress
    ? Connection.lazy({ address: options.temporalAddress })
    : await Connection.connect({ address: services.temporalAddress });
  const temporal = new Client({ connection, dataConverter: payloadDataConverter(config.payloadKeys) });
  const deps: ApiDeps = {
    config,
    db: database.db,
    temporal,
    logger: logger as unknown as ApiDeps['logger'],
    qbo: {} as ApiDeps['qbo'],
    resumePausedSyncs: async () => ({ signalled: 0, finished: 0, failed: 0 }),
  };
  const app = createApp(deps);
  return {
    app,
    config,
    temporal,
    logs,
    request: async (method, path, body, headers = {}) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${SOURCE_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await database.close();
      await connection.close();
    },
  };
}
