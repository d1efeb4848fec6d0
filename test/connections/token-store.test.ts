import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import pino from 'pino';
import { createSimulator } from '../../simulator/server';
import { loadConfig } from '../../config';
import { createQboOAuth } from '../../quickbooks/oauth-client';
import { QboFault } from '../../quickbooks/faults';
import { createTokenCipher } from '../../connections/token-cipher';
import { createTokenStore } from '../../connections/token-store';
import { createDb } from '../../db/client';
import { getConnection } from '../../db/queries/connections';
import { openTokens, saveConnection } from '../../connections/connection-tokens';
import { prepareDatabase, runChild } from './support';

const sha = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

void describe('token store against the simulator and Postgres', () => {
  let sim: { url: string; close(): Promise<void> };
  let handle: ReturnType<typeof createDb>;
  let url: string;
  let config: ReturnType<typeof loadConfig>;
  const cipher = () => createTokenCipher(config.tokenKeys);
  const logLines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );

  before(async () => {
    url = await prepareDatabase();
    handle = createDb(url);
    sim = await createSimulator().start(0);
    config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      QBO_API_BASE_URL: sim.url,
      QBO_AUTHORIZE_URL: `${sim.url}/connect/oauth2`,
      QBO_TOKEN_URL: `${sim.url}/oauth2/v1/tokens/bearer`,
      QBO_REVOKE_URL: `${sim.url}/oauth2/v1/tokens/revoke`,
    });
  });
  after(async () => {
    await sim.close();
    await handle.close();
  });

  /** A new simulated company whose stored access token is already stale (so the next use must refresh). */
  async function staleCompany() {
    const { data } = await axios.post(`${sim.url}/_sim/companies`, {});
    const realmId: string = data.realmId;
    await axios.post(`${sim.url}/_sim/companies/${realmId}/tokens/expire`);
    const original = {
      accessToken: data.tokens.access_token as string,
      refreshToken: data.tokens.refresh_token as string,
    };
    await saveConnection(handle.db, cipher(), {
      realmId,
      environment: 'sandbox',
      grant: {
        ...original,
        expiresIn: 1,
        refreshExpiresIn: data.tokens.x_refresh_token_expires_in,
        issuedAt: new Date(Date.now() - 10_000),
      },
    });
    return { realmId, original };
  }
  const counters = async (realmId: string) =>
    (await axios.get(`${sim.url}/_sim/companies/${realmId}/counters`)).data;
  const childEnv = (realmId: string, extra: Record<string, string>) => ({
    DATABASE_URL: url,
    SIM_URL: sim.url,
    REALM: realmId,
    ...extra,
  });

  void it(
    'two processes refreshing at once send exactly one refresh; a later process uses the rotated token',
    { timeout: 60_000 },
    async () => {
      const { realmId, original } = await staleCompany();
      const before = await counters(realmId);
      const startAt = String(Date.now() + 2_000);
      const [a, b] = await Promise.all([
        runChild(
          'token-child.ts',
          childEnv(realmId, { START_AT: startAt, CONCURRENCY: '5', MODE: 'access' }),
        ),
        runChild(
          'token-child.ts',
          childEnv(realmId, {
            START_AT: startAt,
            CONCURRENCY: '5',
            MODE: 'rejected',
            REJECTED_TOKEN: original.accessToken,
          }),
        ),
      ]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const results = [...a.messages, ...b.messages];
      const c1 = await counters(realmId);
      console.log(
        'refresh race',
        JSON.stringify({
          calls: results.length,
          tokenRefreshes: c1.tokenRefreshes - before.tokenRefreshes,
          tokenRequests: c1.tokenRequests - before.tokenRequests,
        }),
      );
      assert.equal(results.length, 10);
      assert.ok(
        results.every((r) => r.companyInfoStatus === 200),
        JSON.stringify(results),
      );
      assert.equal(new Set(results.map((r) => r.tokenSha)).size, 1, 'all ten calls got the same new token');
      assert.notEqual(results[0].tokenSha, sha(original.accessToken));
      assert.equal(c1.tokenRefreshes - before.tokenRefreshes, 1);
      assert.equal(c1.tokenRequests - before.tokenRequests, 1);

      // The new refresh token is what is stored, and it survives restarts: a third process uses the rotated
      // token without asking again…
      const row = await getConnection(handle.db, realmId);
      assert.ok(row);
      assert.equal(row.tokenVersion, 2);
      assert.notEqual(openTokens(cipher(), row).refreshToken, original.refreshToken);
      const third = await runChild('token-child.ts', childEnv(realmId, { START_AT: '0', MODE: 'access' }));
      assert.equal(third.messages[0].tokenSha, results[0].tokenSha);
      assert.equal((await counters(realmId)).tokenRequests, c1.tokenRequests);
      // …and once the superseded refresh token is past QuickBooks' 24 h grace, only the stored one still works.
      await axios.post(`${sim.url}/_sim/clock`, { advanceSeconds: 25 * 3600 });
      const fourth = await runChild(
        'token-child.ts',
        childEnv(realmId, {
          START_AT: '0',
          MODE: 'rejected',
          REJECTED_TOKEN: openTokens(cipher(), row).accessToken,
        }),
      );
      assert.equal(fourth.messages[0].companyInfoStatus, 200, JSON.stringify(fourth.messages));
      for (const child of [a, b, third, fourth]) {
        for (const secret of [
          original.accessToken,
          original.refreshToken,
          openTokens(cipher(), row).refreshToken,
        ]) {
          assert.ok(
            !child.stderr.includes(secret) && !child.stdout.includes(secret),
            'no token in a child log line',
          );
        }
      }
    },
  );

  void it('a revoked grant ends in needs_reauth and auth_expired with no token anywhere', async () => {
    const { realmId, original } = await staleCompany();
    await axios.post(`${sim.url}/_sim/companies/${realmId}/tokens/revoke`);
    const store = createTokenStore({
      db: handle.db,
      cipher: cipher(),
      oauth: createQboOAuth(config),
      logger,
      publicUrl: 'https://sync.example.com',
    });

    const failure = await store.accessToken(realmId).then(
      () => assert.fail('should throw'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof QboFault);
    assert.equal(failure.fault.pattern, 'auth_expired');
    assert.equal(failure.fault.retryable, false);
    assert.equal(failure.fault.pause, 'auth');
    const detail = failure.fault;
    assert.equal(detail.pattern, 'auth_expired');
    assert.equal(detail.code, 'invalid_grant');
    assert.match(
      detail.hint,
      new RegExp(`https://sync.example.com/v1/connections/connect\\?realmId=${realmId}`),
    );
    const everything = JSON.stringify({
      message: failure.message,
      stack: failure.stack,
      fault: failure.fault,
      cause: String(failure.cause),
    });
    for (const secret of [original.accessToken, original.refreshToken])
      assert.ok(!everything.includes(secret));

    const row = await getConnection(handle.db, realmId);
    assert.equal(row?.status, 'needs_reauth');
    assert.match(row?.statusReason ?? '', /invalid_grant/);

    // Already needs_reauth: refused at once, no token request.
    const requests = (await counters(realmId)).tokenRequests;
    await assert.rejects(store.accessToken(realmId), (e: QboFault) => e.fault.pattern === 'auth_expired');
    await assert.rejects(
      store.refreshAfterRejection(realmId, original.accessToken),
      (e: QboFault) => e.fault.pattern === 'auth_expired',
    );
    assert.equal((await counters(realmId)).tokenRequests, requests);
    await assert.rejects(
      store.accessToken('404404404'),
      (e: QboFault) => e.fault.pattern === 'auth_expired' && /not connected/.test(e.message),
    );
  });

  void it('a token QuickBooks rejects is refreshed once; a second rejection of the old token reuses the new one', async () => {
    const { realmId, original } = await staleCompany();
    const store = createTokenStore({
      db: handle.db,
      cipher: cipher(),
      oauth: createQboOAuth(config),
      logger,
    });
    const first = await store.refreshAfterRejection(realmId, original.accessToken);
    const requests = (await counters(realmId)).tokenRequests;
    const again = await store.refreshAfterRejection(realmId, original.accessToken);
    assert.equal(again, first);
    assert.equal((await counters(realmId)).tokenRequests, requests);
    assert.equal(await store.accessToken(realmId), first);
  });

  void it('no log line from the token store contains a token', async () => {
    assert.ok(logLines.length >= 2, 'the store logged its refreshes and refusals');
    const rows = await handle.sql`SELECT realm_id FROM connections`;
    const c = cipher();
    const secrets: string[] = [];
    for (const { realm_id } of rows) {
      const row = await getConnection(handle.db, realm_id);
      if (row && row.keyId === c.currentKeyId) secrets.push(...Object.values(openTokens(c, row)));
    }
    for (const line of logLines)
      for (const s of secrets) assert.ok(!line.includes(s), `token in log line: ${line.slice(0, 80)}`);
    for (const line of logLines) assert.doesNotMatch(line, /sim-(at|rt)-/);
  });
});
