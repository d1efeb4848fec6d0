import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inProcessApi, type InProcessApi } from './in-process-api';

/** Finding 11: /healthz (no auth) says what is down in words; the error itself only goes to the log. */
describe('/healthz: a status and a short reason, details in the log', () => {
  let api: InProcessApi;
  before(async () => {
    // Nothing listens on port 1: Temporal is unreachable; Postgres is the real one.
    api = await inProcessApi({ QBO_API_BASE_URL: 'http://127.0.0.1:1' }, { temporalAddress: '127.0.0.1:1' });
  });
  after(async () => {
    await api?.close();
  });

  it('answers 503 with `temporal: unavailable`, no raw error, and logs the details', async () => {
    const res = await api.app.request('/healthz');
    const text = await res.text();
    const body = JSON.parse(text);
    assert.equal(res.status, 503);
    assert.equal(body.ok, false);
    assert.equal(body.status, 'degraded');
    assert.deepEqual(body.reasons, ['temporal: unavailable', 'quickbooks: unavailable']);
    assert.equal(body.temporal.status, 'unavailable');
    assert.equal(body.postgres.status, 'ok');
    for (const raw of ['ECONNREFUSED', '127.0.0.1', 'connect ', 'error'])
      assert.ok(!text.includes(raw), `no "${raw}" in ${text}`);
    const logged = api.logs.filter((l) => l.includes('health check failed'));
    assert.equal(logged.length, 2, 'each failure is logged');
    assert.match(logged.join('\n'), /ECONNREFUSED|UNAVAILABLE|DEADLINE/i, 'with its details');
  });
});
