import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueSync } from '../../api/services/enqueue-sync';
import type { SyncDocument } from '../../workflows/contract';
import { invoiceDocument, unique } from '../support/documents';
import { qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';
import { countedTemporalClient, type CountedClient } from '../support/temporal-calls';

const version = (doc: SyncDocument, v: number): SyncDocument => ({
  ...doc,
  invoice: { ...doc.invoice, version: v, memo: `version ${v}` },
});

/**
 * Enqueueing, as the API does it (api/services/enqueue-sync.ts), against the real dev server and worker:
 * a new invoice costs one Temporal call, and every state of an existing sync still gets its answer:
 * running (submitted), completed (unchanged, or a new run for a newer version), terminated (a new run).
 */
describe('enqueue: one Temporal call for a new invoice, the same answers for every existing sync', () => {
  let system: System;
  let temporal: CountedClient;
  // A queue no worker polls: its syncs stay running for as long as the test needs.
  const idleQueue = `enqueue-idle-${unique()}`;
  const idleSyncs: string[] = [];
  before(async () => {
    system = await startSystem();
    temporal = await countedTemporalClient();
  });
  after(async () => {
    for (const id of idleSyncs)
      await temporal?.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => {});
    await temporal?.close();
    await system?.stop();
  });

  const enqueue = async (doc: SyncDocument, queue: string, likelyNew = false) => {
    temporal.reset();
    const result = await enqueueSync(temporal.client, queue, doc, { likelyNew });
    return { ...result, calls: [...temporal.calls] };
  };

  it('a new invoice is one start; a running sync takes the same or an older version by signal', async () => {
    const doc = version(invoiceDocument(`idle${unique()}`), 2);
    const first = await enqueue(doc, idleQueue, true);
    idleSyncs.push(first.syncId);
    assert.equal(first.outcome, 'started');
    assert.deepEqual(first.calls, ['StartWorkflowExecution']);

    const again = await enqueue(doc, idleQueue);
    assert.equal(again.outcome, 'submitted');
    assert.deepEqual(again.calls, ['DescribeWorkflowExecution', 'SignalWorkflowExecution']);

    // A wrong hint costs a call, not the document: the start is refused and the running sync gets it.
    const older = await enqueue(version(doc, 1), idleQueue, true);
    assert.equal(older.outcome, 'submitted');
    assert.deepEqual(older.calls, [
      'StartWorkflowExecution',
      'DescribeWorkflowExecution',
      'SignalWorkflowExecution',
    ]);
    const handle = temporal.client.workflow.getHandle(first.syncId);
    const { executions } = await temporal.client.workflowService.listWorkflowExecutions({
      namespace: 'default',
      query: `WorkflowId = '${first.syncId}'`,
    });
    assert.equal(executions.length, 1, 'one run holds every submission');
    assert.equal((await handle.describe()).status.name, 'RUNNING');
  });

  it('a completed sync: the same or an older version is unchanged, a newer one converges in a new run', async () => {
    const { realmId } = await system.newCompany();
    const v2 = version(invoiceDocument(realmId), 2);
    const posted = await system.api('POST', '/v1/syncs', v2);
    assert.equal(posted.status, 202, posted.text);
    assert.equal(posted.body.outcome, 'started');
    await waitForState(system, posted.body.syncId, 'completed');

    // Even when told the invoice is new, a completed sync's id is not started again blindly.
    const same = await enqueue(v2, system.taskQueue, true);
    assert.equal(same.outcome, 'unchanged');
    assert.deepEqual(same.calls, [
      'StartWorkflowExecution',
      'DescribeWorkflowExecution',
      'GetWorkflowExecutionHistory',
    ]);
    const older = await system.api('POST', '/v1/syncs', version(v2, 1));
    assert.equal(older.status, 202, older.text);
    assert.equal(older.body.outcome, 'unchanged');

    const newer = await system.api('POST', '/v1/syncs', version(v2, 3));
    assert.equal(newer.status, 202, newer.text);
    assert.equal(newer.body.outcome, 'started');
    assert.equal(newer.body.syncId, posted.body.syncId);
    const done = await waitForState(system, posted.body.syncId, 'completed');
    assert.equal(done.documentVersion, 3);
    const invoices = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoices.length, 1, 'updated in place, never twice');
    assert.equal(invoices[0].CustomerMemo?.value, 'version 3');
  });

  it('a terminated sync takes the same document again in a new run', async () => {
    const doc = invoiceDocument(`idle${unique()}`);
    const first = await enqueue(doc, idleQueue, true);
    idleSyncs.push(first.syncId);
    await temporal.client.workflow.getHandle(first.syncId).terminate('an operator stopped it');

    const again = await enqueue(doc, idleQueue);
    assert.equal(again.outcome, 'started');
    assert.deepEqual(again.calls, ['DescribeWorkflowExecution', 'StartWorkflowExecution']);
    const hinted = await enqueue(version(doc, 2), idleQueue, true);
    assert.equal(hinted.outcome, 'submitted', 'the new run is running: it takes the newer version');
  });
});
