import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import { control, createCompany, startSimulator } from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const basic = `Basic ${Buffer.from('qbo-sync-local-client:qbo-sync-local-secret').toString('base64')}`;

async function tokenCall(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: {
      authorization: basic,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as any, tid: res.headers.get('intuit_tid') };
}

describe('data API authentication', () => {
  it('answers a missing, expired, revoked or foreign token with the gateway 401 envelope', async () => {
    const a = await createCompany(sim);
    const b = await createCompany(sim);
    const res = await fetch(`${sim.url}/v3/company/${a.realmId}/companyinfo/${a.realmId}`, {
      headers: { authorization: `Bearer ${b.accessToken}` },
    });
    assert.equal(res.status, 401);
    assert.ok(res.headers.get('intuit_tid'));
    const body = (await res.json()) as any;
    assert.equal(
      body.fault.error[0].message,
      'message=AuthenticationFailed; errorCode=003200; statusCode=401',
    );
    assert.equal(body.fault.error[0].code, '3200');
    assert.equal(body.fault.error[0].detail, `Token expired: ${b.accessToken.slice(0, 4)}...`);
    assert.equal(body.fault.type, 'AUTHENTICATION');
    assert.equal(typeof body.time, 'number');
    assert.deepEqual(body.batchItemResponse, []);
    assert.equal((await a.api('GET', '/preferences')).status, 200);
    await control(sim, 'POST', `/_sim/companies/${a.realmId}/tokens/expire`);
    assert.equal((await a.api('GET', '/preferences')).status, 401);
    const fresh = await control(sim, 'POST', `/_sim/companies/${a.realmId}/tokens`);
    a.accessToken = fresh.access_token;
    assert.equal((await a.api('GET', '/preferences')).status, 200);
    await control(sim, 'POST', `/_sim/companies/${a.realmId}/tokens/revoke`);
    assert.equal((await a.api('GET', '/preferences')).status, 401);
  });

  it('expires access tokens 3600 s after issue by the simulator clock', async () => {
    const co = await createCompany(sim);
    await control(sim, 'POST', '/_sim/clock', { advanceSeconds: 3599 });
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    await control(sim, 'POST', '/_sim/clock', { advanceSeconds: 2 });
    assert.equal((await co.api('GET', '/preferences')).status, 401);
  });
});

describe('token endpoint', () => {
  it('rotates refresh tokens, keeps the previous one valid for 24 h, then invalid_grant', async () => {
    const co = await createCompany(sim);
    const first = await tokenCall({ grant_type: 'refresh_token', refresh_token: co.refreshToken });
    assert.equal(first.status, 200);
    assert.equal(first.body.token_type, 'bearer');
    assert.equal(first.body.expires_in, 3600);
    assert.equal(first.body.x_refresh_token_expires_in, 8726400);
    assert.equal('x_refresh_token_hard_expires_in' in first.body, false);
    assert.notEqual(first.body.refresh_token, co.refreshToken);
    const again = await tokenCall(
      { grant_type: 'refresh_token', refresh_token: co.refreshToken },
      { 'x-include-refresh-token-hard-expires-in': 'true' },
    );
    assert.equal(again.status, 200);
    assert.ok(again.body.x_refresh_token_hard_expires_in > 8726400);
    await control(sim, 'POST', '/_sim/clock', { advanceSeconds: 24 * 3600 + 1 });
    const late = await tokenCall({ grant_type: 'refresh_token', refresh_token: co.refreshToken });
    assert.equal(late.status, 400);
    assert.deepEqual(late.body, { error: 'invalid_grant', error_description: 'Token invalid' });
    assert.equal(
      (await tokenCall({ grant_type: 'refresh_token', refresh_token: again.body.refresh_token })).status,
      200,
    );
    const counters = await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`);
    assert.equal(counters.tokenRefreshes, 3);
    assert.equal(counters.tokenRequests, 4);
  });

  it('fails refresh after 100 idle days, after revoke, for unknown tokens and bad client credentials', async () => {
    const co = await createCompany(sim);
    await control(sim, 'POST', '/_sim/clock', { advanceSeconds: 100 * 86400 + 1 });
    assert.equal(
      (await tokenCall({ grant_type: 'refresh_token', refresh_token: co.refreshToken })).body.error,
      'invalid_grant',
    );
    const other = await createCompany(sim);
    const res = await fetch(`${sim.url}/oauth2/v1/tokens/revoke`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ token: other.refreshToken }),
    });
    assert.equal(res.status, 200);
    assert.equal(
      (await tokenCall({ grant_type: 'refresh_token', refresh_token: other.refreshToken })).body.error,
      'invalid_grant',
    );
    assert.equal((await other.api('GET', '/preferences')).status, 401);
    assert.equal((await tokenCall({ grant_type: 'refresh_token', refresh_token: 'nope' })).status, 400);
    const badClient = await tokenCall(
      { grant_type: 'refresh_token', refresh_token: 'x' },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    );
    assert.equal(badClient.status, 401);
    assert.deepEqual(badClient.body, { error: 'invalid_client' });
  });

  it('grants a company through /connect/oauth2 and exchanges the code once, with a matching redirect_uri', async () => {
    const co = await createCompany(sim);
    const redirect = 'http://localhost:9999/callback';
    const authorize = `${sim.url}/connect/oauth2?client_id=qbo-sync-local-client&redirect_uri=${encodeURIComponent(redirect)}&scope=com.intuit.quickbooks.accounting&state=xyz&response_type=code&realmId=${co.realmId}`;
    const res = await fetch(authorize, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(location.searchParams.get('realmId'), co.realmId);
    const code = location.searchParams.get('code')!;
    assert.equal(
      (await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: 'http://elsewhere/' })).status,
      400,
    );
    const res2 = await fetch(authorize, { redirect: 'manual' });
    const code2 = new URL(res2.headers.get('location')!).searchParams.get('code')!;
    const exchanged = await tokenCall({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: redirect,
    });
    assert.equal(exchanged.status, 200);
    assert.ok(exchanged.body.access_token);
    assert.equal(
      (await tokenCall({ grant_type: 'authorization_code', code: code2, redirect_uri: redirect })).body.error,
      'invalid_grant',
    );
    const chooser = await fetch(authorize.replace(`&realmId=${co.realmId}`, ''), { redirect: 'manual' });
    assert.equal(chooser.status, 200);
    assert.match(await chooser.text(), new RegExp(`realmId=${co.realmId}`));
    const unknown = await fetch(authorize.replace('client_id=qbo-sync-local-client', 'client_id=other'), {
      redirect: 'manual',
    });
    assert.equal(unknown.status, 400);
  });
});

describe('throttling', () => {
  it('returns 429 ThrottleExceeded past ratePerMinute in a sliding 60 s window; throttled calls do not count', async () => {
    const co = await createCompany(sim, { ratePerMinute: 5 });
    for (let i = 0; i < 5; i++) assert.equal((await co.api('GET', '/preferences')).status, 200);
    const throttled = await co.api('GET', '/preferences');
    assert.equal(throttled.status, 429);
    assert.deepEqual(throttled.body.fault.error[0], {
      message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      detail: 'The request limit was reached.  Try again later',
      code: '3001',
      element: null,
    });
    assert.equal(throttled.body.fault.type, 'SERVICE');
    assert.equal((await co.api('GET', '/preferences')).status, 429);
    await control(sim, 'POST', '/_sim/clock', { advanceSeconds: 61 });
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    const counters = await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`);
    assert.equal(counters.throttled, 2);
    assert.equal(counters.byStatus['429'], 2);
    assert.equal(counters.reads, 8);
  });

  it('returns 429 past maxConcurrent requests in flight', async () => {
    const co = await createCompany(sim, { maxConcurrent: 2 });
    await control(sim, 'POST', `/_sim/companies/${co.realmId}/faults`, { kind: 'latency', ms: 300 });
    const results = await Promise.all(Array.from({ length: 4 }, () => co.api('GET', '/preferences')));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    const counters = await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`);
    assert.equal(counters.maxConcurrentSeen, 2);
  });

  it('records each data request in the request log with its intuit_tid', async () => {
    const co = await createCompany(sim);
    const res = await co.api('POST', '/customer?requestid=r1', { DisplayName: 'Logged' });
    const log = await control(sim, 'GET', `/_sim/companies/${co.realmId}/requests?since=0`);
    assert.equal(log.requests.length, 1);
    assert.equal(log.requests[0].operation, 'create');
    assert.equal(log.requests[0].entity, 'Customer');
    assert.equal(log.requests[0].requestid, 'r1');
    assert.equal(log.requests[0].intuitTid, res.headers.get('intuit_tid'));
    await control(sim, 'DELETE', `/_sim/companies/${co.realmId}/requests`);
    assert.equal((await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`)).total, 0);
  });
});
