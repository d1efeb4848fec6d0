import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import { control, intuitOAuthClient, startSimulator } from './sim-client';

const OAuthClient = require('intuit-oauth');

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const client = () => intuitOAuthClient(sim);

describe('intuit-oauth against the simulator', () => {
  it('completes authorization_code, refresh and revoke', async () => {
    const company = await control(sim, 'POST', '/_sim/companies', { name: 'OAuth Co' });
    const oauth = client();
    const authorizeUri = oauth.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 'st-1' });
    const redirect = await fetch(`${authorizeUri}&realmId=${company.realmId}`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const created = await oauth.createToken(redirect.headers.get('location'));
    const token = created.getToken();
    assert.equal(token.realmId, company.realmId);
    assert.ok(token.access_token);
    assert.equal(oauth.isAccessTokenValid(), true);

    const data = await fetch(`${sim.url}/v3/company/${company.realmId}/companyinfo/${company.realmId}`, {
      headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
    });
    assert.equal(((await data.json()) as any).CompanyInfo.CompanyName, 'OAuth Co');

    const oldRefresh = token.refresh_token;
    const refreshed = await oauth.refresh();
    assert.notEqual(refreshed.getToken().refresh_token, oldRefresh);
    assert.ok(refreshed.getIntuitTid());
    const counters = await control(sim, 'GET', `/_sim/companies/${company.realmId}/counters`);
    assert.equal(counters.tokenRefreshes, 1);

    const newRefresh = oauth.getToken().refresh_token;
    await oauth.revoke({ refresh_token: newRefresh });
    await assert.rejects(oauth.refreshUsingToken(newRefresh), (err: any) => {
      assert.equal(err.error, 'invalid_grant');
      return true;
    });
  });

  it('surfaces invalid_grant for an unknown refresh token', async () => {
    const oauth = client();
    await assert.rejects(
      oauth.refreshUsingToken('sim-rt-unknown'),
      (err: any) => err.error === 'invalid_grant',
    );
  });
});
