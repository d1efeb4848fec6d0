import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { getConnection } from '../../db/queries/connections';
import { ADMIN, cookiesOf, startHarness, type SecurityHarness } from './harness';

/** Issue 12 finding 1: the callback must not trust the realmId, the code or the state on their own. */
void describe('OAuth callback: state bound to its starter and company, PKCE, realm verified', () => {
  let h: SecurityHarness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  /** Our /connect → the simulator's consent; returns the callback URL and the starter's cookies. */
  async function consent(realmId?: string): Promise<{ url: URL; cookie: string; authorize: URL }> {
    const start = await h.app.request(`/v1/connections/connect${realmId ? `?realmId=${realmId}` : ''}`, {
      headers: ADMIN,
    });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    const consented = await axios.get(authorize.toString(), { maxRedirects: 0, validateStatus: () => true });
    assert.equal(consented.status, 302, JSON.stringify(consented.data));
    return { url: new URL(consented.headers.location), cookie: cookiesOf(start), authorize };
  }
  const callback = (u: URL, cookie: string) => h.app.request(u.pathname + u.search, { headers: { cookie } });
  const tokenVersion = async (realmId: string) => (await getConnection(h.db, realmId))?.tokenVersion;

  async function connected(): Promise<string> {
    const company = await h.newCompany();
    const { url, cookie } = await consent(company.realmId);
    const res = await callback(url, cookie);
    assert.equal(res.status, 200, await res.clone().text());
    return company.realmId;
  }

  void it('sends an S256 code_challenge and the simulator refuses the code without its verifier', async () => {
    const company = await h.newCompany();
    const { url, authorize } = await consent(company.realmId);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const exchange = (extra: Record<string, string>) =>
      axios.post(
        `${h.simUrl}/oauth2/v1/tokens/bearer`,
        new URLSearchParams({
          grant_type: 'authorization_code',
          code: url.searchParams.get('code')!,
          redirect_uri: h.config.QBO_REDIRECT_URI,
          ...extra,
        }),
        {
          auth: { username: h.config.QBO_CLIENT_ID, password: h.config.QBO_CLIENT_SECRET },
          validateStatus: () => true,
        },
      );
    const wrong = await exchange({ code_verifier: 'x'.repeat(43) });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.data.error, 'invalid_grant');
  });

  void it('refuses a realmId replaced by another connected company and leaves that company alone', async () => {
    const victim = await connected();
    const before = await tokenVersion(victim);
    const attacker = await h.newCompany();
    const { url, cookie } = await consent(attacker.realmId);
    url.searchParams.set('realmId', victim);
    const res = await callback(url, cookie);
    assert.notEqual(res.status, 200);
    assert.ok(res.status >= 400 && res.status < 500, `a 4xx, got ${res.status}`);
    assert.equal(await tokenVersion(victim), before, "the victim's tokens were not overwritten");
    assert.equal(await getConnection(h.db, attacker.realmId), undefined, 'nothing stored');
  });

  void it('verifies the realm with the new token when the flow named no company', async () => {
    const victim = await connected();
    const before = await tokenVersion(victim);
    const other = await h.newCompany();
    // With several companies the simulator shows a chooser; pick `other` as a person would.
    const start = await h.app.request('/v1/connections/connect', { headers: ADMIN });
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('realmId', other.realmId);
    const consented = await axios.get(authorize.toString(), { maxRedirects: 0, validateStatus: () => true });
    const url = new URL(consented.headers.location);
    url.searchParams.set('realmId', victim);
    const res = await callback(url, cookiesOf(start));
    assert.equal(res.status, 403, await res.clone().text());
    assert.equal(((await res.json()) as any).error.code, 'realm_not_granted');
    assert.equal(await tokenVersion(victim), before);
  });

  void it('refuses a realm that exists nowhere', async () => {
    const company = await h.newCompany();
    const { url, cookie } = await consent(company.realmId);
    const nowhere = `8${Date.now()}`;
    url.searchParams.set('realmId', nowhere);
    const res = await callback(url, cookie);
    assert.ok(res.status >= 400 && res.status < 500, `a 4xx, got ${res.status}`);
    assert.equal(await getConnection(h.db, nowhere), undefined);
    assert.equal(await getConnection(h.db, company.realmId), undefined);
  });

  void it('refuses a code from one consent with the state of another', async () => {
    const a = await h.newCompany();
    const b = await h.newCompany();
    const first = await consent(a.realmId);
    const second = await consent(b.realmId);
    // Second consent's state and cookie, first consent's code, realm consistent with the code.
    const mixed = new URL(first.url);
    mixed.searchParams.set('state', second.url.searchParams.get('state')!);
    const res = await callback(mixed, second.cookie);
    assert.notEqual(res.status, 200);
    assert.equal(await getConnection(h.db, a.realmId), undefined);
    assert.equal(await getConnection(h.db, b.realmId), undefined);
    // Even with the realm swapped to the state's company, the code is not that consent's.
    const swapped = new URL(mixed);
    swapped.searchParams.set('realmId', b.realmId);
    const again = await consent(b.realmId);
    swapped.searchParams.set('state', again.url.searchParams.get('state')!);
    assert.notEqual((await callback(swapped, again.cookie)).status, 200);
    assert.equal(await getConnection(h.db, b.realmId), undefined);
  });

  void it('refuses a callback from a browser that did not start the flow, and a reused state', async () => {
    const company = await h.newCompany();
    const { url, cookie } = await consent(company.realmId);
    const stranger = await callback(url, '');
    assert.equal(stranger.status, 400);
    assert.equal(((await stranger.json()) as any).error.code, 'invalid_state');
    assert.equal(await getConnection(h.db, company.realmId), undefined);
    // The stranger spent the state: the real starter has to begin again.
    const reused = await callback(url, cookie);
    assert.equal(reused.status, 400);
    assert.equal(await getConnection(h.db, company.realmId), undefined);
  });

  void it('refuses a callback for another company than the one the flow was started for', async () => {
    const a = await h.newCompany();
    const b = await h.newCompany();
    const start = await h.app.request(`/v1/connections/connect?realmId=${a.realmId}`, { headers: ADMIN });
    const authorize = new URL(start.headers.get('location')!);
    // The consent page lets the person pick another company than the one being reconnected.
    authorize.searchParams.set('realmId', b.realmId);
    const consented = await axios.get(authorize.toString(), { maxRedirects: 0, validateStatus: () => true });
    const res = await callback(new URL(consented.headers.location), cookiesOf(start));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as any).error.code, 'wrong_company');
    assert.equal(await getConnection(h.db, b.realmId), undefined);
  });

  void it('stores no code verifier or binding in clear', async () => {
    const company = await h.newCompany();
    const { cookie } = await consent(company.realmId);
    const binding = cookie.match(/qbo_oauth_binding=([^;]+)/)?.[1];
    assert.ok(binding, 'a binding cookie was set');
    const rows = await h.db.execute<{ row: string }>(
      `select row_to_json(s)::text as row from oauth_states s`,
    );
    const text = JSON.stringify(rows);
    assert.ok(!text.includes(binding));
    assert.ok(text.includes(createHash('sha256').update(binding).digest('base64url')));
  });
});
