import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { QboFault } from '../../quickbooks/faults';
import axios from 'axios';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createRealmBudget } from '../../connections/realm-budget';
import { createQboOAuth } from '../../quickbooks/oauth-client';
import { createTokenCipher } from '../../connections/token-cipher';
import { createTokenStore } from '../../connections/token-store';
import { createQboClient } from '../../quickbooks/client';
import { loadConfig } from '../../config';
import { createDb } from '../../db/client';
import { getConnection } from '../../db/queries/connections';
import type { PauseReason } from '../../workflows/contract';
import { createSimulator } from '../../simulator/server';
import { prepareDatabase } from './support';

const ADMIN = { Authorization: 'Bearer test-admin-key' };

void describe('/v1/connections', () => {
  let sim: { url: string; close(): Promise<void> };
  let handle: ReturnType<typeof createDb>;
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  let config: ReturnType<typeof loadConfig>;
  const resumed: [string, PauseReason][] = [];
  const logLines: string[] = [];

  before(async () => {
    const url = await prepareDatabase();
    handle = createDb(url);
    sim = await createSimulator().start(0);
    config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      ADMIN_API_KEYS: 'test-admin-key',
      SOURCE_API_KEYS: 'test-source-key',
      QBO_API_BASE_URL: sim.url,
      QBO_AUTHORIZE_URL: `${sim.url}/connect/oauth2`,
      QBO_TOKEN_URL: `${sim.url}/oauth2/v1/tokens/bearer`,
      QBO_REVOKE_URL: `${sim.url}/oauth2/v1/tokens/revoke`,
      QBO_REDIRECT_URI: 'http://api.test/v1/connections/callback',
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
    // No Temporal server in this suite: the health counts come back null, which the route must tolerate.
    connection = Connection.lazy({ address: '127.0.0.1:1' });
    const deps: ApiDeps = {
      config,
      db: handle.db,
      temporal: new Client({ connection }),
      logger: logger as unknown as ApiDeps['logger'],
      qbo,
      resumePausedSyncs: async (realmId, reason) => {
        resumed.push([realmId, reason]);
        return { signalled: 0, finished: 0, failed: 0 };
      },
    };
    app = createApp(deps);
  });
  after(async () => {
    // Let the health route's Temporal calls (no server here) reach their deadline before closing the channel.
    await new Promise((r) => setTimeout(r, 3_000));
    await connection.close().catch(() => {});
    await sim.close();
    await handle.close();
  });

  const newCompany = async () =>
    (await axios.post(`${sim.url}/_sim/companies`, {})).data as {
      realmId: string;
      companyName: string;
      tokens: any;
    };

  /** The browser-binding cookie each consent's starter got, by callback state. */
  const starterCookies = new Map<string, string>();
  /** Walks the browser part: our /connect → the simulator's consent → the callback URL it redirects to. */
  async function consent(realmId: string): Promise<URL> {
    const start = await app.request(`/v1/connections/connect?realmId=${realmId}`, { headers: ADMIN });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    assert.equal(authorize.origin + authorize.pathname, `${sim.url}/connect/oauth2`);
    assert.equal(authorize.searchParams.get('scope'), 'com.intuit.quickbooks.accounting');
    assert.match(authorize.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const consented = await axios.get(authorize.toString(), {
      maxRedirects: 0,
      validateStatus: (s) => s === 302,
    });
    const callback = new URL(consented.headers.location);
    assert.equal(callback.searchParams.get('realmId'), realmId);
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    starterCookies.set(callback.searchParams.get('state')!, cookie);
    return callback;
  }
  /** The callback as the starter's browser sends it: with its binding cookie. */
  const callback = (u: URL) =>
    app.request(u.pathname + u.search, {
      headers: { cookie: starterCookies.get(u.searchParams.get('state') ?? '') ?? '' },
    });

  void it('needs the admin key to start a connection', async () => {
    assert.equal((await app.request('/v1/connections/connect')).status, 401);
    assert.equal(
      (await app.request('/v1/connections/connect', { headers: { Authorization: 'Bearer test-source-key' } }))
        .status,
      403,
    );
  });

  void it('refuses a wrong, missing or reused state and stores nothing', async () => {
    const company = await newCompany();
    const good = await consent(company.realmId);

    const wrong = new URL(good);
    wrong.searchParams.set('state', 'forged-state-value');
    const missing = new URL(good);
    missing.searchParams.delete('state');
    for (const u of [wrong, missing]) {
      const res = await callback(u);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as any).error.code, 'invalid_state');
      assert.equal(await getConnection(handle.db, company.realmId), undefined, 'nothing stored');
    }

    const ok = await callback(good);
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as any;
    assert.deepEqual(body, {
      realmId: company.realmId,
      companyName: company.companyName,
      status: 'active',
      resumedSyncs: 0,
    });
    assert.deepEqual(resumed.at(-1), [company.realmId, 'auth']);
    const row = await getConnection(handle.db, company.realmId);
    assert.equal(row?.status, 'active');

    const reused = await callback(good);
    assert.equal(reused.status, 400);
    assert.equal(((await reused.json()) as any).error.code, 'invalid_state');
    assert.equal(
      (await getConnection(handle.db, company.realmId))?.tokenVersion,
      row?.tokenVersion,
      'the reused callback changed nothing',
    );
  });

  void it('lists connections and reports health without ever showing a token', async () => {
    const company = await newCompany();
    await callback(await consent(company.realmId));

    const list = await app.request('/v1/connections', { headers: ADMIN });
    assert.equal(list.status, 200);
    const text = await list.text();
    const listed = (JSON.parse(text) as any).connections.find((c: any) => c.realmId === company.realmId);
    assert.deepEqual(Object.keys(listed).sort(), [
      'accessTokenExpiresAt',
      'companyName',
      'connectedAt',
      'environment',
      'realmId',
      'refreshTokenExpiresAt',
      'refreshTokenHardExpiresAt',
      'status',
      'statusReason',
    ]);
    assert.ok(listed.refreshTokenHardExpiresAt, 'the hard expiry QuickBooks sent is kept');
    assert.doesNotMatch(text, /sim-(at|rt)-/);

    const health = await app.request(`/v1/connections/${company.realmId}/health`, { headers: ADMIN });
    assert.equal(health.status, 200);
    const h = (await health.json()) as any;
    console.log('health', JSON.stringify(h.company), JSON.stringify(h.syncs));
    assert.equal(h.company.ok, true, JSON.stringify(h.company));
    assert.equal(h.company.name, company.companyName);
    assert.equal(typeof h.company.customTransactionNumbers, 'boolean');
    assert.ok(Array.isArray(h.company.requiredAccounts.missing));
    assert.ok(h.tokens.accessTokenExpiresInSeconds > 3000);
    assert.doesNotMatch(JSON.stringify(h), /sim-(at|rt)-/);
    assert.equal((await app.request('/v1/connections/123404040404/health', { headers: ADMIN })).status, 404);
  });

  void it('seeds a connection from tokens, then revokes it at QuickBooks', async () => {
    const company = await newCompany();
    const seeded = await app.request(`/v1/connections/${company.realmId}/tokens`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        accessToken: company.tokens.access_token,
        refreshToken: company.tokens.refresh_token,
        expiresIn: company.tokens.expires_in,
        refreshExpiresIn: company.tokens.x_refresh_token_expires_in,
      }),
    });
    assert.equal(seeded.status, 201);
    assert.doesNotMatch(await seeded.text(), /sim-(at|rt)-/);
    const bad = await app.request(`/v1/connections/${company.realmId}/tokens`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: '' }),
    });
    assert.equal(bad.status, 422);

    const revoked = await app.request(`/v1/connections/${company.realmId}`, {
      method: 'DELETE',
      headers: ADMIN,
    });
    assert.equal(revoked.status, 200);
    assert.deepEqual(await revoked.json(), {
      realmId: company.realmId,
      status: 'revoked',
      revokedAtQuickBooks: true,
    });
    assert.equal((await getConnection(handle.db, company.realmId))?.status, 'revoked');
    // QuickBooks no longer honours the grant…
    const refused = await axios.post(
      `${sim.url}/oauth2/v1/tokens/bearer`,
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: company.tokens.refresh_token }),
      {
        auth: { username: config.QBO_CLIENT_ID, password: config.QBO_CLIENT_SECRET },
        validateStatus: () => true,
      },
    );
    assert.equal(refused.data.error, 'invalid_grant');
    // …and our token store refuses at once.
    const store = createTokenStore({
      db: handle.db,
      cipher: createTokenCipher(config.tokenKeys),
      oauth: createQboOAuth(config),
    });
    await assert.rejects(
      store.accessToken(company.realmId),
      (e: QboFault) => e.fault.pattern === 'auth_expired' && e.message.includes('revoked'),
    );
    assert.equal(
      (await app.request('/v1/connections/123404040404', { method: 'DELETE', headers: ADMIN })).status,
      404,
    );
  });

  void it('logged nothing secret', () => {
    for (const line of logLines) assert.doesNotMatch(line, /sim-(at|rt|code)-/);
  });
});
