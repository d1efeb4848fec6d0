import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSystem, type System } from '../support/system';

/**
 * Every mapping route that asks QuickBooks answers 409 `connection_unusable` with the connect URL when
 * the company cannot be reached: never connected, disconnected by an admin, or revoked at QuickBooks.
 */
describe('mappings: a company qbo-sync cannot reach answers 409 with how to reconnect', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    system.api(method, path, body, system.adminKey);
  const routesThatAskQuickBooks = (realmId: string): [string, string, unknown?][] => [
    ['PUT', `/v1/mappings/${realmId}/items/item-1`, { qboId: '1' }],
    ['PUT', `/v1/mappings/${realmId}/customers/customer-1`, { qboId: '1' }],
    ['PUT', `/v1/mappings/${realmId}/tax-categories/standard`, { taxCodeId: 'TAX' }],
    ['PUT', `/v1/mappings/${realmId}/income-accounts/default`, { accountId: '1' }],
    ['PUT', `/v1/mappings/${realmId}/income-accounts/Service`, { accountName: 'Services' }],
    ['PUT', `/v1/mappings/${realmId}/deposit-accounts/default`, { accountName: 'Checking' }],
    ['GET', `/v1/mappings/${realmId}/suggestions?entity=Item&name=Consulting`],
  ];
  const assertConnectionUnusable = async (realmId: string) => {
    for (const [method, path, body] of routesThatAskQuickBooks(realmId)) {
      const res = await admin(method, path, body);
      assert.equal(res.status, 409, `${method} ${path}: ${res.text}`);
      assert.equal(res.body.error.code, 'connection_unusable', `${method} ${path}`);
      assert.ok(
        res.body.error.message.includes(
          `${system.apiUrl}/v1/connections/connect?realmId=${encodeURIComponent(realmId)}`,
        ),
        `${method} ${path} says where to reconnect: ${res.body.error.message}`,
      );
    }
  };

  it('a company that was never connected', async () => {
    await assertConnectionUnusable(`9${Date.now()}`);
  });

  it('a company an admin disconnected', async () => {
    const { realmId } = await system.newCompany();
    const disconnected = await admin('DELETE', `/v1/connections/${realmId}`);
    assert.equal(disconnected.status, 200, disconnected.text);
    await assertConnectionUnusable(realmId);
  });

  it('a company whose grant QuickBooks revoked', async () => {
    const { realmId } = await system.newCompany();
    const revoked = await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    assert.ok(revoked.status < 300, revoked.text);
    await assertConnectionUnusable(realmId);
  });

  it('a connected company still answers as before', async () => {
    const { realmId } = await system.newCompany();
    const res = await admin('GET', `/v1/mappings/${realmId}/suggestions?entity=Item&name=Consulting`);
    assert.equal(res.status, 200, res.text);
  });
});
