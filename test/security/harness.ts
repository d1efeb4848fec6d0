import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { loadConfig } from '../../config';
import { createRealmBudget } from '../../connections/realm-budget';
import { createTokenCipher } from '../../connections/token-cipher';
import { createTokenStore } from '../../connections/token-store';
import { createDb } from '../../db/client';
import { createQboClient } from '../../quickbooks/client';
import { createQboOAuth } from '../../quickbooks/oauth-client';
import { createSimulator } from '../../simulator/server';
import { prepareDatabase } from '../connections/support';

export const ADMIN_KEY = 'test-admin-key';
export const SOURCE_KEY = 'test-source-key';
export const ADMIN = { Authorization: `Bearer ${ADMIN_KEY}` };

/** One API (createApp) over the simulator and a real database, with no Temporal server behind it. */
export interface SecurityHarness {
  app: ReturnType<typeof createApp>;
  config: ReturnType<typeof loadConfig>;
  db: ReturnType<typeof createDb>['db'];
  simUrl: string;
  logLines: string[];
  /** Another API process's app over the same database and simulator. */
  another(env?: Record<string, string>): ReturnType<typeof createApp>;
  newCompany(): Promise<{ realmId: string; companyName: string; tokens: any }>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<SecurityHarness> {
  const url = await prepareDatabase();
  const handle = createDb(url);
  const sim = await createSimulator().start(0);
  const logLines: string[] = [];
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const build = (extra: Record<string, string>) => {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      ADMIN_API_KEYS: ADMIN_KEY,
      SOURCE_API_KEYS: SOURCE_KEY,
      QBO_API_BASE_URL: sim.url,
      QBO_AUTHORIZE_URL: `${sim.url}/connect/oauth2`,
      QBO_TOKEN_URL: `${sim.url}/oauth2/v1/tokens/bearer`,
      QBO_REVOKE_URL: `${sim.url}/oauth2/v1/tokens/revoke`,
      QBO_REDIRECT_URI: 'http://api.test/v1/connections/callback',
      ...env,
      ...extra,
    });
    const logger = pino(
      { level: 'debug' },
      new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }),
    );
    const cipher = createTokenCipher(config.tokenKeys);
    const tokens = createTokenStore({ db: handle.db, cipher, oauth: createQboOAuth(config), logger });
    const qbo = createQboClient({
      baseUrl: config.QBO_API_BASE_URL,
      minorVersion: config.QBO_MINOR_VERSION,
      timeoutMs: 10_000,
      tokens,
      budget: createRealmBudget({ db: handle.db, perMinute: 490, maxInFlight: 10 }),
      logger,
    });
    const deps: ApiDeps = {
      config,
      db: handle.db,
      temporal: new Client({ connection }),
      logger: logger as unknown as ApiDeps['logger'],
      qbo,
      resumePausedSyncs: async () => ({ signalled: 0, finished: 0, failed: 0 }),
    };
    return { app: createApp(deps), config };
  };
  const first = build({});
  return {
    ...first,
    db: handle.db,
    simUrl: sim.url,
    logLines,
    another: (extra = {}) => build(extra).app,
    newCompany: async () => (await axios.post(`${sim.url}/_sim/companies`, {})).data,
    async close() {
      await connection.close().catch(() => {});
      await sim.close();
      await handle.close();
    },
  };
}

/** The `name=value` pairs of a response's Set-Cookie headers, for sending back as a Cookie header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
