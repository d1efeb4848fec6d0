import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createActivities } from '../../activities';
import { loadConfig } from '../../config';
import { createQuickBooks } from '../../connections/create-quickbooks';
import { createDb } from '../../db/client';
import { createLogger } from '../../lib/logger';
import { payloadDataConverter } from '../../lib/payload-codec';
import { temporal } from '@temporalio/proto';
import { invoiceDocument, unique } from '../support/documents';
import { testServices } from '../support/env';
import { eventually } from '../support/http';
import { enqueue, qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

const EventType = temporal.api.enums.v1.EventType;
const CHECK_MS = 5_000;
/** The system's processes encrypt payloads with the local default key; this test's own client and workers too. */
const dataConverter = payloadDataConverter(loadConfig({}).payloadKeys);

/**
 * Paused syncs heal themselves, with the real parts: a reconnect while their failures wait for a
 * workflow worker strands none; a period reopened in QuickBooks resumes held syncs with no signal;
 * a payment void that hits a closed period pauses and resumes.
 */
describe('self-healing pauses, end to end', () => {
  let system: System;
  const services = testServices();
  const database = createDb(services.databaseUrl, { max: 4 });
  let client: Client;
  let connection: Connection;
  before(async () => {
    system = await startSystem({ env: { SYNC_PAUSE_CHECK_MS: String(CHECK_MS) } });
    connection = await Connection.connect({ address: services.temporalAddress });
    client = new Client({ connection, dataConverter });
  });
  after(async () => {
    await system?.stop();
    await connection?.close();
    await database.close();
  });

  const historyHas = async (syncId: string, type: number) =>
    ((await client.workflow.getHandle(syncId).fetchHistory()).events ?? []).some((e) => e.eventType === type);

  it('a reconnect while failures wait for a workflow worker leaves no sync paused with an active connection', async () => {
    const { realmId } = await system.newCompany();
    await system.killWorker();
    await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    const native = await NativeConnection.connect({ address: services.temporalAddress });
    try {
      // A workflow-only worker schedules the first step of each sync, then goes away.
      const workflows = await Worker.create({
        connection: native,
        dataConverter,
        taskQueue: system.taskQueue,
        workflowBundle: { codePath: services.workflowBundlePath },
      });
      const syncIds = await workflows.runUntil(async () => {
        const ids = await Promise.all(
          Array.from({ length: 5 }, () => enqueue(system, invoiceDocument(realmId))),
        );
        for (const id of ids)
          await eventually(
            () => historyHas(id, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
            Boolean,
            30_000,
            `${id} scheduled`,
          );
        return ids;
      });

      // An activity-only worker runs them against the dead connection: each fails for auth, and the
      // failures wait in history for a workflow worker.
      const config = loadConfig({
        ...process.env,
        DATABASE_URL: services.databaseUrl,
        QBO_API_BASE_URL: services.simUrl,
        QBO_TOKEN_URL: `${services.simUrl}/oauth2/v1/tokens/bearer`,
        QBO_REQUEST_TIMEOUT_MS: '3000',
      });
      const logger = createLogger('test-activities', 'silent');
      const { qbo } = createQuickBooks(config, database.db, logger);
      const activities = await Worker.create({
        connection: native,
        dataConverter,
        taskQueue: system.taskQueue,
        activities: createActivities({ db: database.db, qbo, config: { throttleBackoffMs: 1_000 } }),
      });
      await activities.runUntil(async () => {
        for (const id of syncIds)
          await eventually(
            () => historyHas(id, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED),
            Boolean,
            30_000,
            `${id} failed`,
          );
        // The admin reconnects in the window: the syncs are not paused yet as far as anything can see.
        const tokens = (await system.sim('POST', `/_sim/companies/${realmId}/tokens`)).body;
        const reconnected = await system.connect(realmId, tokens);
        assert.equal(reconnected.status, 201, reconnected.text);
        assert.equal(
          reconnected.body.resumedSyncs,
          syncIds.length,
          'every running sync of the company is signalled',
        );
      });

      await system.startWorker();
      for (const id of syncIds) await waitForState(system, id, 'completed', 90_000);
      const listed = await system.api('GET', '/v1/connections', undefined, system.adminKey);
      assert.equal(listed.body.connections.find((c: any) => c.realmId === realmId).status, 'active');
      assert.equal((await qboRecords(system, realmId, 'Invoice')).length, syncIds.length);
    } finally {
      await native.close();
    }
  });

  it('a closed period reopened in QuickBooks, with no signal, resumes its held syncs within one check interval', async () => {
    const { realmId } = await system.newCompany();
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: '2026-11-15' });
    const syncIds = await Promise.all(
      Array.from({ length: 3 }, () => enqueue(system, invoiceDocument(realmId))),
    );
    for (const id of syncIds)
      assert.equal((await waitForState(system, id, 'paused')).pauseReason, 'closed_period');
    // Let them settle into their waits (a check before waiting, then clock ticks).
    await new Promise((r) => setTimeout(r, CHECK_MS));
    await system.sim('DELETE', `/_sim/companies/${realmId}/requests`);

    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: null });
    const reopened = Date.now();
    for (const id of syncIds) await waitForState(system, id, 'completed', 4 * CHECK_MS);
    const elapsed = Date.now() - reopened;
    // One interval to the next tick, plus the time the invoice step itself takes.
    assert.ok(elapsed < CHECK_MS + 4_000, `completed ${elapsed} ms after the reopening`);
    const log = (await system.sim('GET', `/_sim/companies/${realmId}/requests`)).body.requests as any[];
    const reads = log.filter((r) => r.entity === 'Preferences').length;
    assert.ok(reads >= 1 && reads <= 2, `${reads} Preferences reads shared by ${syncIds.length} syncs`);
    console.log(
      `closed period: ${syncIds.length} held syncs completed ${elapsed} ms after the reopening (check every ${CHECK_MS} ms), ${reads} Preferences read(s)`,
    );
    for (const id of syncIds)
      assert.ok(!(await historyHas(id, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)), 'no signal');
  });

  it('a payment void that hits a closed period pauses, and resumes when the period is reopened', async () => {
    const { realmId } = await system.newCompany();
    const payment = { sourceId: `pay-${unique()}`, txnDate: '2026-11-03', amount: 100 };
    const v1 = invoiceDocument(realmId, { payments: [payment] });
    const syncId = await enqueue(system, v1);
    await waitForState(system, syncId, 'completed');
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: '2026-11-10' });

    // The source dropped the payment: version 2 must void it, inside the closed period.
    await enqueue(system, { ...v1, invoice: { ...v1.invoice, version: 2 }, payments: [] });
    const paused = await eventually(
      async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body,
      (s) => s?.state === 'paused' && s.documentVersion === 2,
      60_000,
      'version 2 paused',
    );
    assert.equal(paused.pauseReason, 'closed_period');
    assert.equal(paused.currentStep, 'payments');

    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: null });
    const resumed = await system.api(
      'POST',
      `/v1/connections/${realmId}/period-reopened`,
      {},
      system.adminKey,
    );
    assert.equal(resumed.status, 200, resumed.text);
    const done = await waitForState(system, syncId, 'completed');
    assert.equal(done.documentVersion, 2);
    const [invoice] = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoice.Balance, invoice.TotalAmt, 'the payment is voided: nothing is applied any more');
  });

  it('an invoice update refused in a closed period is sent anew once the period is reopened', async () => {
    const { realmId } = await system.newCompany();
    const v1 = invoiceDocument(realmId);
    const syncId = await enqueue(system, v1);
    await waitForState(system, syncId, 'completed');
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: '2026-11-10' });
    await enqueue(system, { ...v1, invoice: { ...v1.invoice, version: 2, memo: 'Corrected memo' } });
    await eventually(
      async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body,
      (s) => s?.state === 'paused' && s.documentVersion === 2 && s.currentStep === 'invoice',
      60_000,
      'version 2 paused at the invoice',
    );
    // Reopened in QuickBooks, no signal: the self-check resumes it, and the update is a new request (a
    // repeated requestid would be answered with the first refusal).
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: null });
    await waitForState(system, syncId, 'completed', 4 * CHECK_MS);
    const [invoice] = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoice.CustomerMemo?.value, 'Corrected memo');
  });
});
