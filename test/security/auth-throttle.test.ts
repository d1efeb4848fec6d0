import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ADMIN, ADMIN_KEY, startHarness, type SecurityHarness } from './harness';

const LIMITS = { TRUST_PROXY: 'true', AUTH_MAX_FAILURES_PER_ADDRESS: '5', AUTH_MAX_FAILURES_PER_KEY: '4' };
/** A client address no other run of this test used (the counters live in the shared database). */
const address = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;

/** Issue 12 finding 4: lockout on POST /admin/login and on API keys, per address and per key. */
void describe('authentication throttle', () => {
  let h: SecurityHarness;
  before(async () => {
    h = await startHarness(LIMITS);
  });
  after(() => h.close());

  const login = (from: string, key: string, app = h.app) =>
    app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
      body: new URLSearchParams({ key }).toString(),
    });
  const api = (from: string, key: string, app = h.app) =>
    app.request('/v1/connections', { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': from } });

  void it('locks an address out of the login after repeated wrong keys, with Retry-After, and logs it', async () => {
    const from = address();
    for (let i = 0; i < 5; i++) assert.equal((await login(from, `wrong-${i}-${Date.now()}`)).status, 401);
    const locked = await login(from, 'wrong-again');
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0, 'Retry-After in seconds');
    assert.equal((await login(from, ADMIN_KEY)).status, 429, 'even the right key waits');
    assert.equal((await login(address(), ADMIN_KEY)).status, 303, 'another address is not locked');
    const refused = h.logLines.filter((l) => l.includes(from));
    assert.ok(refused.length >= 5, 'each refused login logs its source address');
    for (const line of h.logLines) assert.ok(!line.includes('wrong-again'), 'never the key');
  });

  void it('locks out API keys per address, across API processes', async () => {
    const from = address();
    const other = h.another(LIMITS);
    for (let i = 0; i < 3; i++) assert.equal((await api(from, `nope-${i}-${Date.now()}`)).status, 401);
    for (let i = 0; i < 2; i++)
      assert.equal((await api(from, `nope-b${i}-${Date.now()}`, other)).status, 401);
    const locked = await api(from, ADMIN_KEY, other);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(((await locked.json()) as any).error.code, 'too_many_attempts');
    assert.equal((await api(from, ADMIN_KEY)).status, 429, 'the other process sees the same counters');
    assert.equal((await api(address(), ADMIN_KEY)).status, 200);
  });

  void it('locks out one key tried from many addresses', async () => {
    const key = `stolen-or-revoked-${Date.now()}`;
    for (let i = 0; i < 4; i++) assert.equal((await api(address(), key)).status, 401);
    assert.equal((await api(address(), key)).status, 429);
    assert.equal((await api(address(), ADMIN_KEY)).status, 200, 'other keys are unaffected');
  });

  void it('uses the socket address, not X-Forwarded-For, unless TRUST_PROXY is set', async () => {
    const direct = h.another({ ...LIMITS, TRUST_PROXY: 'false' });
    const socket = { incoming: { socket: { remoteAddress: address() } } };
    for (let i = 0; i < 5; i++) {
      const res = await direct.request(
        '/v1/connections',
        { headers: { authorization: `Bearer x-${i}-${Date.now()}`, 'x-forwarded-for': address() } },
        socket,
      );
      assert.equal(res.status, 401);
    }
    const locked = await direct.request('/v1/connections', { headers: ADMIN }, socket);
    assert.equal(locked.status, 429, 'the socket address was counted, whatever X-Forwarded-For said');
  });
});
