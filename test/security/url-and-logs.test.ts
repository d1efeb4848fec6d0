import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testServices } from '../support/env';
import { ADMIN_KEY, inProcessApi, type InProcessApi } from './in-process-api';

/**
 * Finding 8: a NUL byte (or another control character, or broken percent-encoding) in a path or query
 * parameter is a 4xx before any route runs, and error logs never carry SQL or its values.
 */
describe('URL parameters and error logs', () => {
  let api: InProcessApi;
  before(async () => {
    api = await inProcessApi();
  });
  after(async () => {
    await api?.close();
  });

  const probes: [string, string, unknown?][] = [
    ['GET', '/v1/syncs?realmId=%00'],
    ['GET', '/v1/syncs?batchId=a%01b'],
    ['GET', '/v1/syncs?realmId=%E0%A4%A'],
    ['GET', '/v1/syncs/sync%3A1%3A%00'],
    ['GET', '/v1/mappings/%00/items'],
    ['PUT', '/v1/mappings/9130000000000001/items/svc%00', { qboId: '1' }],
    ['PUT', '/v1/mappings/9130000000000001/tax-categories/std%00', { taxCodeId: 'TAX' }],
    ['GET', '/v1/mappings/9130000000000001/suggestions?entity=Item&name=a%00b'],
    ['GET', '/v1/policies/%00'],
    [
      'POST',
      '/v1/connections/%00/tokens',
      { accessToken: 'a', refreshToken: 'b', expiresIn: 1, refreshExpiresIn: 1 },
    ],
    ['GET', '/admin/companies/%00'],
  ];
  for (const [method, path, body] of probes) {
    it(`${method} ${path} → 4xx naming the parameter, nothing logged as an error`, async () => {
      const before = api.logs.length;
      const res = await api.request(method, path, body, { authorization: `Bearer ${ADMIN_KEY}` });
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${res.status}: ${text}`);
      const errors = api.logs.slice(before).filter((l) => JSON.parse(l).level >= 50);
      assert.deepEqual(errors, [], 'no error logged');
    });
  }

  it('refuses a NUL byte in a JSON body field of another route (the token seeding route) with 422', async () => {
    const res = await api.request(
      'POST',
      '/v1/connections/9130000000000001/tokens',
      { accessToken: 'a', refreshToken: 'b', expiresIn: 60, refreshExpiresIn: 60, companyName: 'Acme\u0000' },
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    const body: any = await res.json();
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.deepEqual(
      body.error.fields.map((f: any) => f.path),
      ['companyName'],
    );
  });

  it('logs a database failure by SQLSTATE only: no SQL, no parameter values', async () => {
    // A database that does not exist: every query fails inside drizzle, whose error message is the SQL
    // with its parameters.
    const url = new URL(testServices().databaseUrl);
    url.pathname = '/qbo_sync_does_not_exist';
    const broken = await inProcessApi({}, { databaseUrl: url.toString() });
    try {
      const realmId = 'realm-0f0f0f0f-secret-looking';
      const res = await broken.request('GET', `/v1/policies/${realmId}`, undefined, {
        authorization: `Bearer ${ADMIN_KEY}`,
      });
      assert.equal(res.status, 500);
      const body = await res.text();
      // The route's path is logged (it says where); the error must say nothing of the query or its values.
      const logged = broken.logs.map((l) => JSON.stringify(JSON.parse(l).err ?? {})).join('\n');
      assert.match(logged, /3D000/, `the SQLSTATE is logged: ${logged}`);
      for (const leak of ['select', 'company_policies"', realmId, 'params'])
        assert.ok(!logged.toLowerCase().includes(leak.toLowerCase()), `no "${leak}" in the log: ${logged}`);
      assert.ok(!body.includes(realmId) && !body.toLowerCase().includes('select'), body);
    } finally {
      await broken.close();
    }
  });
});

describe('codec endpoint: off unless enabled', () => {
  it('answers 404 on /codec/decode when CODEC_ENDPOINT is off (the default)', async () => {
    const api = await inProcessApi();
    try {
      assert.equal(api.config.CODEC_ENDPOINT, 'off');
      const res = await api.request(
        'POST',
        '/codec/decode',
        { payloads: [] },
        { origin: 'http://localhost:8233' },
      );
      assert.equal(res.status, 404);
    } finally {
      await api.close();
    }
  });
});
