import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_KEY, cookiesOf, SOURCE_KEY, startHarness, type SecurityHarness } from './harness';

/** With Temporal out of reach, routes that need it say so with a 503 to retry, never a 500. */
describe('Temporal unreachable: 503 temporal_unavailable, not an internal error', () => {
  let h: SecurityHarness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers the source API with 503, a code, a reason and Retry-After', async () => {
    const res = await h.app.request('/v1/syncs', { headers: { authorization: `Bearer ${SOURCE_KEY}` } });
    const body = await res.json();
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(body.error.code, 'temporal_unavailable');
    assert.match(body.error.message, /not reachable/);
    assert.equal(res.headers.get('retry-after'), '5');
  });

  it('answers the admin search page with a 503 page that says what is down', async () => {
    const login = await h.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: ADMIN_KEY }).toString(),
    });
    assert.equal(login.status, 303, await login.clone().text());
    const res = await h.app.request('/admin/search?q=INV-1', { headers: { cookie: cookiesOf(login) } });
    const html = await res.text();
    assert.equal(res.status, 503, html);
    assert.match(html, /Temporal, which runs the syncs, is not reachable/);
    assert.ok(!html.includes('Something went wrong on our side'), html);
  });
});
