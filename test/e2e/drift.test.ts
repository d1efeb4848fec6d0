/**
 * Change tracking through the real parts: the simulator's webhooks and CDC over HTTP, the receiver, the
 * per-company tracker on the Temporal dev server, drift on the links in Postgres, and syncs meeting it.
 * Longer than most files: each case needs a synced company, and one system is started for all of them.
 */
import { payloadDataConverter } from '../../lib/payload-codec';
import { loadConfig } from '../../config';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../../db/client';
import { listEvents } from '../../db/queries/quickbooks-events';
import { readsOf } from '../../db/queries/realm-reads';
import { invoiceDocument } from '../support/documents';
import { testServices } from '../support/env';
import { eventually } from '../support/http';
import { enqueue, qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';
import { cloudEvent, postNotification, sign, subscribeWebhooks } from '../support/webhooks';
import { changeTrackerId, trackerStatusQuery } from '../../workflows/track-changes-contract';

const verifier = `verifier-${randomBytes(6).toString('hex')}`;
const SWEEP_SECONDS = 3;
let system: System;
let database: ReturnType<typeof createDb>;
let temporal: Connection;

before(async () => {
  system = await startSystem({
    env: {
      QBO_WEBHOOK_VERIFIER_TOKEN: verifier,
      CHANGE_SWEEP_SECONDS: String(SWEEP_SECONDS),
      CHANGE_SETTLE_MS: '200',
    },
  });
  database = createDb(testServices().databaseUrl, { max: 2 });
  temporal = await Connection.connect({ address: testServices().temporalAddress });
});
after(async () => {
  await database?.close();
  await temporal?.close();
  await system?.stop();
});

const drift = async (realmId: string) => {
  const res = await system.api('GET', `/v1/companies/${realmId}/drift`, undefined, system.adminKey);
  assert.equal(res.status, 200, res.text);
  return res.body.items as any[];
};
const driftUntil = (realmId: string, done: (items: any[]) => boolean, ms = 20_000) =>
  eventually(() => drift(realmId), done, ms, `drift of ${realmId}`);
const cdcCalls = async (realmId: string) =>
  (await system.sim('GET', `/_sim/companies/${realmId}/requests`)).body.requests.filter((r: any) =>
    r.path.endsWith('/cdc'),
  ).length;
const synced = async (realmId: string, overrides = {}) => {
  const doc = invoiceDocument(realmId, overrides);
  const done = await waitForState(system, await enqueue(system, doc), 'completed');
  return { doc, invoiceId: done.steps.invoice.records[0].qboId as string, status: done };
};
const simRecord = (realmId: string, entity: string, id: string) =>
  `/_sim/companies/${realmId}/records/${entity}/${id}`;

describe('webhook receiver', () => {
  it('a bad signature is refused with 401 and nothing is recorded', async () => {
    const { realmId } = await system.newCompany();
    const body = JSON.stringify([cloudEvent(realmId, 'qbo.invoice.updated.v1', '1')]);
    const forged = await postNotification(system, body, sign('not-the-verifier', body));
    assert.equal(forged.status, 401);
    const missing = await postNotification(system, body, '');
    assert.equal(missing.status, 401);
    const tampered = await postNotification(system, body.replace('"1"', '"2"'), sign(verifier, body));
    assert.equal(tampered.status, 401);
    assert.equal((await listEvents(database.db, realmId)).length, 0);
  });

  it('the same event delivered twice is recorded and processed once', async () => {
    const { realmId } = await system.newCompany();
    const { invoiceId } = await synced(realmId);
    const body = JSON.stringify([cloudEvent(realmId, 'qbo.invoice.updated.v1', invoiceId)]);
    const first: any = await postNotification(system, body, sign(verifier, body));
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.recorded, 1);
    const again: any = await postNotification(system, body, sign(verifier, body));
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.recorded, again.body.duplicates], [0, 1]);
    const events = await eventually(
      () => listEvents(database.db, realmId),
      (rows) => rows.length === 1 && rows[0].processedAt !== null,
      15_000,
      'the event processed',
    );
    assert.equal(events.length, 1);
    await new Promise((r) => setTimeout(r, 800));
    const tracker = new Client({
      connection: temporal,
      dataConverter: payloadDataConverter(loadConfig({}).payloadKeys),
    }).workflow.getHandle(changeTrackerId(realmId));
    const status = await tracker.query(trackerStatusQuery);
    assert.equal(status.eventsReviewed, 1, JSON.stringify(status));
  });

  it('unknown event types are answered 200 and ignored', async () => {
    const { realmId } = await system.newCompany();
    const body = JSON.stringify([
      cloudEvent(realmId, 'qbo.vendor.created.v1', '7'),
      cloudEvent(realmId, 'payroll.employee.updated.v1', '8'),
      cloudEvent(realmId, 'qbo.invoice.emailed.v1', '9'),
      cloudEvent('4620816365000000000', 'qbo.invoice.updated.v1', '10'),
    ]);
    const res: any = await postNotification(system, body, sign(verifier, body));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      [res.body.recorded, res.body.ignored],
      [0, 4],
      'a company not connected here is ignored too',
    );
    assert.equal((await listEvents(database.db, realmId)).length, 0);
    assert.equal((await listEvents(database.db, '4620816365000000000')).length, 0);
  });
});

describe('drift', () => {
  it('delete, void and edit in QuickBooks are reported by webhook within seconds; a note edit is not drift', async () => {
    const { realmId } = await system.newCompany();
    const [a, b, c, d] = [
      await synced(realmId),
      await synced(realmId),
      await synced(realmId),
      await synced(realmId),
    ];
    await subscribeWebhooks(system, realmId, verifier, { format: 'legacy' });
    const started = Date.now();
    assert.equal((await system.sim('DELETE', simRecord(realmId, 'Invoice', a.invoiceId))).status, 200);
    assert.equal(
      (await system.sim('POST', `${simRecord(realmId, 'Invoice', b.invoiceId)}/void`)).status,
      200,
    );
    assert.equal(
      (await system.sim('PATCH', simRecord(realmId, 'Invoice', c.invoiceId), { TxnDate: '2026-11-20' }))
        .status,
      200,
    );
    await system.sim('PATCH', simRecord(realmId, 'Invoice', d.invoiceId), { PrivateNote: 'called AP' });
    const items = await driftUntil(realmId, (i) => i.length >= 3);
    const elapsed = Date.now() - started;
    console.log(`drift reported by webhook ${elapsed} ms after the changes`);
    const kind = (sourceId: string) => items.find((i) => i.sourceId === sourceId);
    assert.equal(kind(a.doc.invoice.sourceId).kind, 'deleted');
    assert.equal(kind(b.doc.invoice.sourceId).kind, 'voided');
    assert.equal(kind(c.doc.invoice.sourceId).kind, 'edited');
    assert.deepEqual(
      kind(c.doc.invoice.sourceId).fields,
      ['date'],
      JSON.stringify(kind(c.doc.invoice.sourceId)),
    );
    assert.ok(items.every((i) => i.seenBy === 'webhook'));
    assert.equal(kind(d.doc.invoice.sourceId), undefined, "a bookkeeper's note is not drift");
    assert.ok(elapsed < 10_000, `reported in ${elapsed} ms`);
  });

  it('with webhooks off, the next CDC sweep reports a delete', async () => {
    const { realmId } = await system.newCompany();
    const { doc, invoiceId } = await synced(realmId);
    await system.sim('DELETE', simRecord(realmId, 'Invoice', invoiceId));
    const started = Date.now();
    const [item] = await driftUntil(realmId, (i) => i.length === 1, (SWEEP_SECONDS * 3 + 10) * 1000);
    console.log(`drift reported by the sweep ${Date.now() - started} ms after the delete`);
    assert.equal(item.sourceId, doc.invoice.sourceId);
    assert.equal(item.kind, 'deleted');
    assert.equal(item.seenBy, 'sweep');

    // Bounded: one CDC call per sweep period when fewer than 1,000 things changed.
    const before = await cdcCalls(realmId);
    await new Promise((r) => setTimeout(r, SWEEP_SECONDS * 3 * 1000 + 500));
    const calls = (await cdcCalls(realmId)) - before;
    console.log(`quiet company: ${calls} CDC calls in ${SWEEP_SECONDS * 3} s of ${SWEEP_SECONDS} s sweeps`);
    assert.ok(calls >= 2 && calls <= 4, `${calls} calls in three sweep periods`);
  });

  it('every read qbo-sync makes is counted for the company and shown on its health', async () => {
    const { realmId } = await system.newCompany();
    await synced(realmId);
    const reads = async () =>
      (await system.sim('GET', `/_sim/companies/${realmId}/requests`)).body.requests.filter(
        (r: any) => r.method === 'GET',
      ).length;
    const sent = await reads();
    assert.ok(sent > 0, 'the sync read something');
    await eventually(
      () => readsOf(database.db, realmId),
      (counted) => counted.today === sent,
      5_000,
      `${sent} reads counted`,
    );
    const health = await system.api('GET', `/v1/connections/${realmId}/health`, undefined, system.adminKey);
    assert.equal(health.status, 200, health.text);
    assert.ok(health.body.quickbooksReads.today >= sent, JSON.stringify(health.body.quickbooksReads));
  });

  it('a CDC window with more than 1,000 changes is swept completely', async () => {
    const { realmId } = await system.newCompany();
    const { doc, invoiceId } = await synced(realmId);
    const customerId = (await qboRecords(system, realmId, 'Customer'))[0].Id;
    for (let i = 0; i < 1100; i++) {
      await system.sim('POST', `/_sim/companies/${realmId}/records/Invoice`, {
        CustomerRef: { value: customerId },
        TxnDate: '2026-11-03',
        TotalAmt: 1,
        Line: [],
      });
    }
    await system.sim('DELETE', simRecord(realmId, 'Invoice', invoiceId));
    const [item] = await driftUntil(realmId, (i) => i.length === 1, (SWEEP_SECONDS * 3 + 20) * 1000);
    assert.equal(item.sourceId, doc.invoice.sourceId, 'the change after the first 1,000 was found');
    assert.ok((await cdcCalls(realmId)) >= 3, 'the full answer was split and re-asked');
  });

  it("our own writes are not drift, and the bookkeeper's PrivateNote survives an update from the source", async () => {
    const { realmId } = await system.newCompany();
    await subscribeWebhooks(system, realmId, verifier);
    const { doc, invoiceId } = await synced(realmId, {});
    await system.sim('PATCH', simRecord(realmId, 'Invoice', invoiceId), {
      PrivateNote: 'called AP, promised Friday',
    });
    const next = structuredClone(doc);
    next.invoice.version = 2;
    next.lines[0].quantity = 3;
    next.lines[0].amount = 450;
    next.payments = [{ sourceId: `pay-${doc.invoice.sourceId}`, txnDate: '2026-11-04', amount: 100 }];
    await waitForState(system, await enqueue(system, next), 'completed');
    const invoice = (await qboRecords(system, realmId, 'Invoice')).find((i) => i.Id === invoiceId);
    assert.equal(invoice.PrivateNote, 'called AP, promised Friday');
    assert.equal(invoice.TotalAmt, 495.5);
    await eventually(
      () => listEvents(database.db, realmId),
      (rows) => rows.length > 0 && rows.every((r) => r.processedAt !== null),
      15_000,
      'every event processed',
    );
    assert.deepEqual(await drift(realmId), [], 'our creates, update and payment are not drift');
  });

  it('the next version of a deleted invoice waits with changed_in_quickbooks; "re-create" makes exactly one new invoice', async () => {
    const { realmId } = await system.newCompany();
    await subscribeWebhooks(system, realmId, verifier);
    const { doc, invoiceId } = await synced(realmId);
    await system.sim('DELETE', simRecord(realmId, 'Invoice', invoiceId));
    await driftUntil(realmId, (i) => i.length === 1);
    const next = structuredClone(doc);
    next.invoice.version = 2;
    next.invoice.memo = 'Second version';
    const syncId = await enqueue(system, next);
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'changed_in_quickbooks');
    assert.equal(stuck.lastError.step, 'invoice');
    assert.match(stuck.lastError.hint, /re-create/i);
    const listed = await system.api('GET', `/v1/syncs?realmId=${realmId}&pattern=changed_in_quickbooks`);
    assert.ok(
      listed.body.items.some((i: any) => i.syncId === syncId),
      listed.text,
    );

    const decided = await system.api(
      'POST',
      `/v1/syncs/${encodeURIComponent(syncId)}/resolve`,
      { kind: 'recreate', step: 'invoice', sourceId: doc.invoice.sourceId },
      system.adminKey,
    );
    assert.equal(decided.status, 202, decided.text);
    const done = await waitForState(system, syncId, 'completed');
    const invoices = await qboRecords(system, realmId, 'Invoice');
    const live = invoices.filter((i) => i.status !== 'Deleted');
    assert.equal(live.length, 1, 'exactly one new invoice');
    assert.notEqual(live[0].Id, invoiceId);
    assert.equal(done.steps.invoice.records[0].qboId, live[0].Id);
    assert.deepEqual(await drift(realmId), [], 'the drift is settled');
  });

  it('a version that only adds a payment to an invoice deleted in QuickBooks is caught at the invoice', async () => {
    const { realmId } = await system.newCompany();
    await subscribeWebhooks(system, realmId, verifier);
    const { doc, invoiceId } = await synced(realmId);
    await system.sim('DELETE', simRecord(realmId, 'Invoice', invoiceId));
    await driftUntil(realmId, (i) => i.length === 1);
    const next = structuredClone(doc);
    next.invoice.version = 2;
    next.payments = [{ sourceId: `pay-${doc.invoice.sourceId}`, txnDate: '2026-11-04', amount: 50 }];
    const stuck = await waitForState(system, await enqueue(system, next), 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'changed_in_quickbooks');
    assert.equal(stuck.lastError.step, 'invoice');
    assert.equal((await qboRecords(system, realmId, 'Payment')).length, 0);
  });
});
