import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTokenCipher } from '../../connections/token-cipher';
import { loadConfig } from '../../config';
import { createDb } from '../../db/client';
import { saveConnection } from '../../connections/connection-tokens';
import { invoiceDocument, unique } from '../support/documents';
import { testServices } from '../support/env';
import { enqueue, qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/** Throttling, outages and lost responses are retried to exactly one record; expired connections and closed books pause. */
describe('sync: faults, pauses and resumption', () => {
  let system: System;
  const database = createDb(testServices().databaseUrl, { max: 2 });
  const cipher = createTokenCipher(loadConfig({}).tokenKeys);
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
    await database.close();
  });

  const fault = async (realmId: string, body: object) => {
    const res = await system.sim('POST', `/_sim/companies/${realmId}/faults`, body);
    assert.equal(res.status, 201, res.text);
  };
  const counters = async (realmId: string) =>
    (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body;

  it('a throttling storm (JSON and XML 429s) is retried with backoff to completion, one record each', async () => {
    const { realmId } = await system.newCompany();
    await fault(realmId, { kind: 'throttle', times: 3 });
    await fault(realmId, { kind: 'throttle-xml', times: 2 });
    const doc = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-03', amount: 45.5 }],
    });
    await waitForState(system, await enqueue(system, doc), 'completed', 90_000);
    assert.equal((await counters(realmId)).byStatus['429'], 5);
    assert.equal((await qboRecords(system, realmId, 'Invoice')).length, 1);
    assert.equal((await qboRecords(system, realmId, 'Payment')).length, 1);
  });

  it('an outage (503s and 500s) is retried to completion', async () => {
    const { realmId } = await system.newCompany();
    await fault(realmId, { kind: 'status', status: 503, times: 2 });
    await fault(realmId, { kind: 'status', status: 500, times: 2 });
    await waitForState(system, await enqueue(system, invoiceDocument(realmId)), 'completed', 90_000);
    assert.equal((await qboRecords(system, realmId, 'Invoice')).length, 1);
  });

  for (const lose of ['timeout', '502'] as const) {
    it(`a create that QuickBooks committed but whose response was lost (${lose}) leaves exactly one record`, async () => {
      const { realmId } = await system.newCompany();
      await fault(realmId, {
        kind: 'commit-then-lose',
        lose,
        ms: 6_000,
        times: 1,
        match: { entity: 'Invoice', operation: 'create' },
      });
      await fault(realmId, {
        kind: 'commit-then-lose',
        lose,
        ms: 6_000,
        times: 1,
        match: { entity: 'Payment', operation: 'create' },
      });
      const doc = invoiceDocument(realmId, {
        payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-04', amount: 100 }],
      });
      const done = await waitForState(system, await enqueue(system, doc), 'completed', 90_000);
      const invoices = await qboRecords(system, realmId, 'Invoice');
      const payments = await qboRecords(system, realmId, 'Payment');
      assert.equal(invoices.length, 1, 'one invoice');
      assert.equal(payments.length, 1, 'one payment');
      assert.equal(done.steps.invoice.records[0].qboId, invoices[0].Id);
      assert.equal(invoices[0].Balance, 245.5);
    });
  }

  it('an expired connection pauses every sync of the company; one reconnect resumes them all to completion', async () => {
    const { realmId } = await system.newCompany();
    await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    const syncIds = await Promise.all(
      Array.from({ length: 4 }, () => enqueue(system, invoiceDocument(realmId))),
    );
    for (const id of syncIds) {
      const paused = await waitForState(system, id, 'paused');
      assert.equal(paused.pauseReason, 'auth');
      assert.equal(paused.lastError.pattern, 'auth_expired');
      assert.match(paused.lastError.hint, /reconnect/i);
    }
    const connection = (
      await system.api('GET', '/v1/connections', undefined, system.adminKey)
    ).body.connections.find((c: any) => c.realmId === realmId);
    assert.equal(connection.status, 'needs_reauth');

    // Tokens restored out of band (as an operator would from a backup of the grant): nothing resumes on
    // its own; the manual endpoint finds the paused syncs through search attributes and signals each.
    const tokens = (await system.sim('POST', `/_sim/companies/${realmId}/tokens`)).body;
    await saveConnection(database.db, cipher, {
      realmId,
      environment: 'sandbox',
      grant: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresIn: tokens.expires_in,
        refreshExpiresIn: tokens.x_refresh_token_expires_in,
        issuedAt: new Date(),
      },
    });
    await new Promise((r) => setTimeout(r, 1_500));
    for (const id of syncIds)
      assert.equal(
        (await waitForState(system, id, 'paused')).pauseReason,
        'auth',
        'still paused until signalled',
      );
    const resumed = await system.api('POST', `/v1/connections/${realmId}/reconnected`, {}, system.adminKey);
    assert.equal(resumed.status, 200, resumed.text);
    assert.equal(resumed.body.signalled, syncIds.length);
    for (const id of syncIds) await waitForState(system, id, 'completed');
    assert.equal((await qboRecords(system, realmId, 'Invoice')).length, syncIds.length);
  });

  it('a closed period pauses; period-reopened resumes many, and a re-date decision resumes one', async () => {
    const { realmId } = await system.newCompany();
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: '2026-11-15' });
    const docs = Array.from({ length: 3 }, () => invoiceDocument(realmId));
    const syncIds = await Promise.all(docs.map((d) => enqueue(system, d)));
    for (const id of syncIds) {
      const paused = await waitForState(system, id, 'paused');
      assert.equal(paused.pauseReason, 'closed_period');
      assert.equal(paused.currentStep, 'invoice');
    }

    const redated = await system.api(
      'POST',
      `/v1/syncs/${encodeURIComponent(syncIds[0])}/resolve`,
      { kind: 'redate', txnDate: '2026-11-16', note: 'belongs to the open period' },
      system.adminKey,
    );
    assert.equal(redated.status, 202, redated.text);
    await waitForState(system, syncIds[0], 'completed');

    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: null });
    const resumed = await system.api(
      'POST',
      `/v1/connections/${realmId}/period-reopened`,
      {},
      system.adminKey,
    );
    assert.equal(resumed.body.signalled, 2);
    for (const id of syncIds.slice(1)) await waitForState(system, id, 'completed');
    const invoices = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoices.length, 3);
    assert.equal(invoices.filter((i) => i.TxnDate === '2026-11-16').length, 1);
  });
});
