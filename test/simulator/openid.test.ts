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

async function connected(name: string) {
  const company = await control(sim, 'POST', '/_sim/companies', { name });
  const oauth = client();
  const uri = oauth.authorizeUri({
    scope: [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId],
    state: 's',
  });
  const redirect = await fetch(`${uri}&realmId=${company.realmId}`, { redirect: 'manual' });
  await oauth.createToken(redirect.headers.get('location'));
  return { oauth, realmId: company.realmId as string };
}

describe('OpenID endpoints and the published revoke path', () => {
  it("answers intuit-oauth's getUserInfo with Intuit's claims, and 401 once the grant is revoked on the v2 path", async () => {
    const { oauth, realmId } = await connected('OpenID Co');
    const info = (await oauth.getUserInfo()).json;
    assert.match(info.sub, /^[0-9a-f]{32}$/);
    assert.equal(info.emailVerified, true);
    assert.equal(typeof info.givenName, 'string');
    assert.equal(info.familyName, 'OpenID Co');
    const access = oauth.getToken().access_token;

    await oauth.revoke({ refresh_token: oauth.getToken().refresh_token });
    const after = await fetch(`${sim.url}/v1/openid_connect/userinfo`, {
      headers: { authorization: `Bearer ${access}` },
    });
    assert.equal(after.status, 401);
    assert.match(after.headers.get('www-authenticate') ?? '', /invalid_token/);
    const data = await fetch(`${sim.url}/v3/company/${realmId}/companyinfo/${realmId}`, {
      headers: { authorization: `Bearer ${access}`, accept: 'application/json' },
    });
    assert.equal(data.status, 401, 'the revoke on the v2 path ended the grant');
    const counters = await control(sim, 'GET', `/_sim/companies/${realmId}/counters`);
    assert.ok(counters.tokenRequests >= 2, 'the revoke is counted as a token call');
  });

  it('refuses user info without a valid bearer token', async () => {
    for (const authorization of [undefined, 'Bearer sim-at-unknown', 'Basic abc']) {
      const res = await fetch(`${sim.url}/v1/openid_connect/userinfo`, {
        headers: authorization ? { authorization } : {},
      });
      assert.equal(res.status, 401, String(authorization));
    }
  });

  it('serves a JSON Web Key Set of RS256 signing keys at /op/v1/jwks', async () => {
    const res = await fetch(`${sim.url}/op/v1/jwks`);
    assert.equal(res.status, 200);
    const { keys } = (await res.json()) as { keys: any[] };
    assert.equal(keys.length, 1);
    assert.deepEqual(
      { kty: keys[0].kty, alg: keys[0].alg, use: keys[0].use, e: keys[0].e },
      { kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' },
    );
    assert.ok(keys[0].n.length > 300 && keys[0].kid, 'a 2048-bit modulus and a key id');
    assert.equal(keys[0].d, undefined, 'no private part');
  });

  it('serves a discovery document naming its own endpoints at Intuit’s paths', async () => {
    const doc = (await (await fetch(`${sim.url}/.well-known/openid_configuration`)).json()) as any;
    assert.equal(doc.issuer, 'https://oauth.platform.intuit.com/op/v1');
    assert.equal(doc.userinfo_endpoint, `${sim.url}/v1/openid_connect/userinfo`);
    assert.equal(doc.revocation_endpoint, `${sim.url}/v2/oauth2/tokens/revoke`);
    assert.equal(doc.jwks_uri, `${sim.url}/op/v1/jwks`);
    assert.equal((await fetch(doc.jwks_uri)).status, 200);
  });
});
