import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument, unique } from '../support/documents';
import { http } from '../support/http';
import { enqueue, qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * The connection a person really revoked: invalid_grant → needs_reauth → syncs paused → the OAuth
 * connect flow (through the simulator's consent) → the callback resumes them, and nothing that had
 * already succeeded is sent again.
 */
describe('connections: revoked, reconnected through OAuth, resumed', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  it('pauses on invalid_grant and the callback resumes every paused sync to completion', async () => {
    const { realmId } = await system.newCompany();
    const first = invoiceDocument(realmId);
    await waitForState(system, await enqueue(system, first), 'completed');

    await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    const later = Array.from({ length: 3 }, () => {
      const doc = invoiceDocument(realmId, {
        payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-06', amount: 45.5 }],
      });
      doc.customer = first.customer; // already synced: the pause comes at the new items
      return doc;
    });
    const syncIds = await Promise.all(later.map((d) => enqueue(system, d)));
    for (const id of syncIds) {
      const paused = await waitForState(system, id, 'paused');
      assert.equal(paused.pauseReason, 'auth');
      assert.equal(paused.currentStep, 'items');
    }
    const listed = await system.api('GET', '/v1/connections', undefined, system.adminKey);
    assert.equal(listed.body.connections.find((c: any) => c.realmId === realmId).status, 'needs_reauth');

    // The admin starts the connect flow; the simulator consents for the company and redirects back.
    const connect = await system.api(
      'GET',
      `/v1/connections/connect?realmId=${realmId}`,
      undefined,
      system.adminKey,
    );
    assert.equal(connect.status, 302, connect.text);
    const consent = await http('GET', connect.headers.get('location')!);
    assert.equal(consent.status, 302, consent.text);
    const callbackUrl = consent.headers.get('location')!;
    assert.ok(callbackUrl.startsWith(`${system.apiUrl}/v1/connections/callback`), callbackUrl);
    // The browser that started the flow brings back its binding cookie (HttpOnly, scoped to the callback).
    const binding = connect.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    assert.match(binding, /qbo_oauth_binding=/);
    const callback = await http('GET', callbackUrl, undefined, { cookie: binding });
    assert.equal(callback.status, 200, callback.text);
    assert.equal(callback.body.status, 'active');
    assert.equal(callback.body.resumedSyncs, syncIds.length, 'reports how many paused syncs it resumed');

    for (const id of syncIds) await waitForState(system, id, 'completed');
    assert.equal(
      (await system.api('GET', '/v1/connections', undefined, system.adminKey)).body.connections.find(
        (c: any) => c.realmId === realmId,
      ).status,
      'active',
    );

    // Nothing that had succeeded was sent again: each successful create is a distinct record.
    const log = (await system.sim('GET', `/_sim/companies/${realmId}/requests`)).body.requests as any[];
    const creates = log.filter((r) => r.operation === 'create' && r.status === 200);
    for (const entity of ['Customer', 'Item', 'Invoice', 'Payment']) {
      const made = creates.filter((r) => r.entity === entity).length;
      assert.equal(
        made,
        (await qboRecords(system, realmId, entity)).length,
        `${entity}: one successful create per record`,
      );
    }
    assert.equal((await qboRecords(system, realmId, 'Invoice')).length, 4);
    assert.equal((await qboRecords(system, realmId, 'Customer')).length, 1);

    // The callback's state is single use: replaying it is refused.
    const replay = await http('GET', callbackUrl);
    assert.equal(replay.status, 400);
  });
});
