import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  documentSubmittedSignal,
  resolveSignal,
  retrySignal,
  type SyncStatus,
} from '../../workflows/contract';
import { createHarness, failure, testDocument, type Harness } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isState = (state: string) => (s: SyncStatus) => s.state === state;

/** Waiting for a person (retry, resolve), the outage timer, newer versions and a small history. */
describe('workflow: decisions, the outage timer, newer versions, history size', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('needs_attention waits with no timer and no self-check until a retry', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureCustomer', () => failure('duplicate_name'));
    const handle = await h.start(doc);
    const waiting = await h.waitFor(handle, isState('needs_attention'), 'needs_attention');
    assert.equal(waiting.lastError?.pattern, 'duplicate_name');
    await sleep(1_500);
    assert.equal((await h.waitFor(handle, () => true, 'status')).state, 'needs_attention');
    const events = await h.eventTypes(handle);
    assert.ok(!events.includes('EVENT_TYPE_TIMER_STARTED'), 'no timer for a problem only a person can fix');
    await handle.signal(retrySignal, { note: 'renamed in QuickBooks' });
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.decisions.at(-1)?.decision.kind, 'retry');
  });

  it('a link decision applies to its record and the rest of the sync uses the linked id', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureCustomer', () => failure('duplicate_name'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('needs_attention'), 'needs_attention');
    await handle.signal(resolveSignal, {
      kind: 'link',
      step: 'customer',
      sourceId: doc.customer.sourceId,
      qboId: 'Q77',
    });
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.steps.customer.records[0].qboId, 'Q77');
    const invoice = h.calls.find(
      (c) => c.name === 'ensureInvoice' && c.input.invoice.sourceId === doc.invoice.sourceId,
    );
    assert.equal(invoice?.input.customerQboId, 'Q77');
  });

  it('a re-date decision resumes a closed-period pause with the new date', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureInvoice', () => failure('closed_period'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('paused'), 'paused');
    await handle.signal(resolveSignal, { kind: 'redate', txnDate: '2026-12-01' });
    await h.waitFor(handle, isState('completed'), 'completed');
    const sent = h.calls.filter(
      (c) => c.name === 'ensureInvoice' && c.input.invoice.sourceId === doc.invoice.sourceId,
    );
    assert.deepEqual(
      sent.map((c) => c.input.invoice.txnDate),
      [doc.invoice.txnDate, '2026-12-01'],
    );
  });

  it('an outage that outlived the activity retries is tried again on the outage timer, with no signal', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureInvoice', () => failure('transient_server'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('completed'), 'completed');
    const events = await h.eventTypes(handle);
    assert.ok(events.includes('EVENT_TYPE_TIMER_FIRED'), 'the outage timer fired');
    assert.ok(!events.includes('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'));
  });

  it('a newer version supersedes the one waiting and is converged instead', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureInvoice', () => failure('duplicate_doc_number'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('needs_attention'), 'needs_attention');
    const v2 = { ...doc, invoice: { ...doc.invoice, version: 2, docNumber: `${doc.invoice.docNumber}-B` } };
    await handle.signal(documentSubmittedSignal, { document: v2 });
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.documentVersion, 2);
    const last = h.calls
      .filter((c) => c.name === 'ensureInvoice' && c.input.invoice.sourceId === doc.invoice.sourceId)
      .at(-1);
    assert.equal(last?.input.invoice.docNumber, v2.invoice.docNumber);
  });

  it('continues as new after the configured number of converged versions, carrying the newest', async () => {
    const doc = testDocument();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.script(doc, 'ensureInvoice', async () => {
      await gate;
      return { qboId: 'I1', action: 'created' };
    });
    const handle = await h.start(doc, {
      timings: { pauseCheckMs: 1_000, outageRetryMs: 1_500, versionsPerRun: 1 },
    });
    await h.waitFor(handle, (s) => s.currentStep === 'invoice', 'invoice step');
    const v2 = { ...doc, invoice: { ...doc.invoice, version: 2 } };
    await handle.signal(documentSubmittedSignal, { document: v2 });
    release();
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.documentVersion, 2);
    const first = h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const firstEvents = await h.eventTypes(first);
    assert.equal(firstEvents.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  });

  it('a steady-state sync costs at most 8 billable actions: upserts once per state change', async () => {
    const doc = testDocument({ payments: [{ sourceId: 'pay-1', txnDate: '2026-11-03', amount: 100 }] });
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('completed'), 'completed');
    const events = await h.eventTypes(handle);
    const count = (t: string) => events.filter((e) => e === `EVENT_TYPE_${t}`).length;
    const parts = {
      start: count('WORKFLOW_EXECUTION_STARTED'),
      signals: count('WORKFLOW_EXECUTION_SIGNALED'),
      activities: count('ACTIVITY_TASK_SCHEDULED'),
      timers: count('TIMER_STARTED'),
      upserts: count('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'),
    };
    assert.deepEqual(parts, { start: 1, signals: 0, activities: 5, timers: 0, upserts: 2 });
    console.log(`steady-state sync: ${events.length} history events, ${JSON.stringify(parts)}`);
  });
});
