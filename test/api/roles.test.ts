import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { http } from '../support/http';
import { startSystem, type System } from '../support/system';

interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: unknown;
}

describe('roles: which key may call which route', () => {
  let system: System;
  let realmId: string;
  let sourceRoutes: RouteCase[];
  let adminRoutes: RouteCase[];

  before(async () => {
    system = await startSystem();
    ({ realmId } = await system.newCompany());
    const doc = invoiceDocument(realmId);
    const syncId = encodeURIComponent(`sync:${realmId}:${doc.invoice.sourceId}`);
    sourceRoutes = [
      { name: 'enqueue a sync', method: 'POST', path: '/v1/syncs', body: doc },
      { name: 'list syncs', method: 'GET', path: `/v1/syncs?realmId=${realmId}` },
      { name: 'read a sync', method: 'GET', path: `/v1/syncs/${syncId}` },
    ];
    adminRoutes = [
      { name: 'retry', method: 'POST', path: `/v1/syncs/${syncId}/retry`, body: {} },
      {
        name: 'resolve',
        method: 'POST',
        path: `/v1/syncs/${syncId}/resolve`,
        body: { kind: 'link', step: 'customer', sourceId: doc.customer.sourceId, qboId: '1' },
      },
      { name: 'reconnected', method: 'POST', path: `/v1/connections/${realmId}/reconnected` },
      { name: 'period reopened', method: 'POST', path: `/v1/connections/${realmId}/period-reopened` },
      { name: 'list connections', method: 'GET', path: '/v1/connections' },
      { name: 'connection health', method: 'GET', path: `/v1/connections/${realmId}/health` },
      { name: 'all mappings', method: 'GET', path: `/v1/mappings/${realmId}` },
      { name: 'item links', method: 'GET', path: `/v1/mappings/${realmId}/items` },
      {
        name: 'link an item',
        method: 'PUT',
        path: `/v1/mappings/${realmId}/items/svc-1`,
        body: { qboId: '1' },
      },
      { name: 'customer links', method: 'GET', path: `/v1/mappings/${realmId}/customers` },
      {
        name: 'map a tax category',
        method: 'PUT',
        path: `/v1/mappings/${realmId}/tax-categories/standard`,
        body: { taxCodeId: 'TAX' },
      },
      {
        name: 'suggestions',
        method: 'GET',
        path: `/v1/mappings/${realmId}/suggestions?entity=Item&name=Consulting`,
      },
      { name: 'read policies', method: 'GET', path: `/v1/policies/${realmId}` },
      {
        name: 'set policies',
        method: 'PUT',
        path: `/v1/policies/${realmId}`,
        body: { docNumbers: 'source' },
      },
    ];
  });
  after(async () => {
    await system?.stop();
  });

  const assertError = (
    res: { status: number; body: any; text: string },
    status: number,
    code: string,
    label: string,
  ) => {
    assert.equal(res.status, status, `${label}: ${res.text}`);
    assert.equal(res.body?.error?.code, code, `${label}: ${res.text}`);
    assert.equal(typeof res.body.error.message, 'string', label);
    assert.ok(res.body.error.message.length > 10, `${label}: the message says what to do`);
  };

  it('every route refuses a request without a key (401, saying how to send one) and with an unknown key (401)', async () => {
    for (const r of [...sourceRoutes, ...adminRoutes]) {
      const none = await system.api(r.method, r.path, r.body, null);
      assertError(none, 401, 'unauthenticated', `${r.name} without a key`);
      assert.match(none.body.error.message, /Authorization: Bearer/);
      const wrong = await system.api(r.method, r.path, r.body, 'not-a-key');
      assertError(wrong, 401, 'unauthenticated', `${r.name} with a wrong key`);
      assert.match(wrong.body.error.message, /not valid/);
    }
  });

  it('the source key may enqueue and read syncs, and so may the admin key', async () => {
    for (const r of sourceRoutes) {
      for (const key of [system.sourceKey, system.adminKey]) {
        const res = await system.api(r.method, r.path, r.body, key);
        assert.ok(
          res.status < 300,
          `${r.name} with the ${key === system.adminKey ? 'admin' : 'source'} key: ${res.status} ${res.text}`,
        );
      }
    }
  });

  it('the source key gets 403 on every admin route; the admin key gets through', async () => {
    for (const r of adminRoutes) {
      const asSource = await system.api(r.method, r.path, r.body, system.sourceKey);
      assertError(asSource, 403, 'forbidden', `${r.name} with the source key`);
      assert.match(asSource.body.error.message, /admin API key/);
      const asAdmin = await system.api(r.method, r.path, r.body, system.adminKey);
      // Past the key check: any answer but 401/403 (a 404/409 about the sync itself is the route working).
      assert.ok(
        ![401, 403].includes(asAdmin.status) && asAdmin.status < 500,
        `${r.name} with the admin key: ${asAdmin.status} ${asAdmin.text}`,
      );
    }
  });

  it('the key may also come in an X-API-Key header', async () => {
    const headers = { 'x-api-key': system.adminKey };
    const res = await http('GET', `${system.apiUrl}/v1/policies/${realmId}`, undefined, headers);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      realmId,
      onNameCollision: 'link',
      onInactiveReference: 'ask',
      docNumbers: 'source',
      onForeignPayment: 'link',
    });
    const asSource = await http('GET', `${system.apiUrl}/v1/policies/${realmId}`, undefined, {
      'x-api-key': system.sourceKey,
    });
    assertError(asSource, 403, 'forbidden', 'policies with the source key in X-API-Key');
  });

  it('the OpenAPI document names the key scheme and the admin routes, and /v1/docs lists them for people', async () => {
    const doc = await system.api('GET', '/v1/openapi.json', undefined, null);
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.body.components.securitySchemes.apiKey.type, 'http');
    assert.equal(doc.body.components.securitySchemes.apiKey.scheme, 'bearer');
    const taxPath = '/v1/mappings/{realmId}/tax-categories/{category}';
    assert.ok(doc.body.paths[taxPath]?.put, 'the tax-category mapping route is documented');
    assert.deepEqual(doc.body.paths[taxPath].put.security, [{ apiKey: [] }]);
    assert.ok(
      doc.body.paths['/v1/policies/{realmId}']?.put?.requestBody,
      'the policy body schema is documented',
    );
    const page = await system.api('GET', '/v1/docs', undefined, null);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(page.text.includes(taxPath), 'the docs page lists the tax-category route');
    assert.ok(page.text.includes('/v1/syncs/{id}/retry'), 'and the routes of other sub-apps');
  });
});
