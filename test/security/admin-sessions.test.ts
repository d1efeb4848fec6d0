import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { ADMIN_KEY, cookiesOf, SOURCE_KEY, startHarness, type SecurityHarness } from './harness';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** Issue 12 findings 2, 9, 10 and 12: the admin page's sessions, headers, cookie and login answers. */
void describe('admin page sessions', () => {
  let h: SecurityHarness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function login(app = h.app): Promise<string> {
    const res = await app.request('/admin/login', form({ key: ADMIN_KEY }));
    assert.equal(res.status, 303, await res.clone().text());
    const cookie = cookiesOf(res);
    assert.match(cookie, /qbo_admin_session=/);
    return cookie;
  }
  const overview = (cookie: string, app = h.app) => app.request('/admin', { headers: { cookie } });

  void it('logout revokes the session: the old cookie stops working', async () => {
    const cookie = await login();
    const page = await overview(cookie);
    assert.equal(page.status, 200);
    const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)?.[1];
    assert.ok(csrf);
    const out = await h.app.request('/admin/logout', {
      ...form({ csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    assert.equal(out.status, 303);
    const replay = await overview(cookie);
    assert.equal(replay.status, 303, 'the cookie from before logout is refused');
    assert.equal(replay.headers.get('location'), '/admin/login');
  });

  void it('a cookie minted offline from the admin key opens nothing', async () => {
    // The former scheme: a value signed with HMAC('qbo-sync admin session v1', adminKeys).
    const secret = createHmac('sha256', 'qbo-sync admin session v1').update(ADMIN_KEY).digest('hex');
    const value = `${Date.now() + 3_600_000}.minted`;
    const signature = createHmac('sha256', secret).update(value).digest('base64');
    const cookie = `qbo_admin_session=${encodeURIComponent(`${value}.${signature}`)}`;
    assert.equal((await overview(cookie)).status, 303);
  });

  void it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const idle = h.another({ ADMIN_SESSION_IDLE_SECONDS: '2', ADMIN_SESSION_MAX_SECONDS: '60' });
    const idleCookie = await login(idle);
    assert.equal((await overview(idleCookie, idle)).status, 200);
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal((await overview(idleCookie, idle)).status, 303, 'idle too long');

    // Used every half second, so never idle: only the absolute lifetime can end it.
    const capped = h.another({ ADMIN_SESSION_IDLE_SECONDS: '60', ADMIN_SESSION_MAX_SECONDS: '4' });
    const started = Date.now();
    const cappedCookie = await login(capped);
    assert.equal((await overview(cappedCookie, capped)).status, 200, 'alive right after login');
    while (Date.now() - started < 4_500) {
      await overview(cappedCookie, capped);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal((await overview(cappedCookie, capped)).status, 303, 'past the absolute lifetime');
  });

  void it('refuses an empty admin key list at start', () => {
    for (const value of [',', ' , ', '']) {
      assert.throws(() => loadConfig({ ADMIN_API_KEYS: value }), /ADMIN_API_KEYS/);
    }
  });

  void it('marks the cookie Secure when API_PUBLIC_URL is https', async () => {
    const https = h.another({ API_PUBLIC_URL: 'https://qbo-sync.example.com' });
    const res = await https.request('/admin/login', form({ key: ADMIN_KEY }));
    assert.equal(res.status, 303);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('qbo_admin_session='));
    assert.match(set ?? '', /;\s*Secure/i);
    const plain = await h.app.request('/admin/login', form({ key: ADMIN_KEY }));
    assert.doesNotMatch(plain.headers.getSetCookie().join(';'), /;\s*Secure/i);
  });

  void it('answers a source key and an unknown key the same way', async () => {
    const source = await h.app.request('/admin/login', form({ key: SOURCE_KEY }));
    const unknown = await h.app.request('/admin/login', form({ key: 'no-such-key' }));
    assert.equal(source.status, unknown.status);
    assert.equal(await source.text(), await unknown.text());
    assert.equal(source.headers.getSetCookie().length, 0);
  });

  void it('sends security headers on every /admin page', async () => {
    const cookie = await login();
    for (const res of [
      await h.app.request('/admin/login'),
      await overview(cookie),
      await h.app.request('/admin/companies/123404040404', { headers: { cookie } }),
      // The pages of the other admin routers (sync detail, payments waiting, search, mappings, drift) too.
      await h.app.request('/admin/search?q=nothing', { headers: { cookie } }),
      await h.app.request('/admin/companies/123404040404/payments', { headers: { cookie } }),
      await h.app.request('/admin/companies/123404040404/mappings', { headers: { cookie } }),
      await h.app.request('/admin/companies/123404040404/drift', { headers: { cookie } }),
    ]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('referrer-policy'));
      assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    }
  });
});
