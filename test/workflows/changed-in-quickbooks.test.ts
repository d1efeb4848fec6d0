import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { retrySignal, searchAttributes, type SyncStatus } from '../../workflows/contract';
import { createHarness, failure, testDocument, type Harness } from './harness';

const isState = (state: string) => (s: SyncStatus) => s.state === state;
const EventType = temporal.api.enums.v1.EventType;

/** The attribute names each search-attribute upsert of the run set, in order. */
async function upserts(handle: WorkflowHandle): Promise<string[][]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    .map((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
    );
}

/** ChangedInQuickBooks: operators find the syncs that met a record changed in QuickBooks. */
describe('workflow: the ChangedInQuickBooks search attribute', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('is set in the upsert that reports the wait, and kept after the decision', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureInvoice', () => failure('changed_in_quickbooks'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('needs_attention'), 'needs_attention');
    const waiting = (await handle.describe()).typedSearchAttributes;
    assert.deepEqual(waiting.get(searchAttributes.changedInQuickbooks), ['Invoice']);
    assert.equal(waiting.get(searchAttributes.errorPattern), 'changed_in_quickbooks');
    const beforeDecision = await upserts(handle);
    const carrying = beforeDecision.filter((names) => names.includes('ChangedInQuickBooks'));
    assert.equal(carrying.length, 1, 'published once');
    assert.ok(carrying[0].includes('SyncState'), 'in the same upsert as the needs_attention state');

    await handle.signal(retrySignal, { note: 'recreate (changed in QuickBooks)' });
    await h.waitFor(handle, isState('completed'), 'completed');
    const done = (await handle.describe()).typedSearchAttributes;
    assert.deepEqual(
      done.get(searchAttributes.changedInQuickbooks),
      ['Invoice'],
      'still findable once resolved',
    );
    assert.equal(done.get(searchAttributes.errorPattern), undefined);
    assert.equal(done.get(searchAttributes.syncState), 'completed');
  });

  it('names a payment that was changed in QuickBooks', async () => {
    const doc = testDocument({ payments: [{ sourceId: 'pay-1', txnDate: '2026-11-03', amount: 100 }] });
    h.script(doc, 'ensurePayment', () => failure('changed_in_quickbooks'));
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('needs_attention'), 'needs_attention');
    const attrs = (await handle.describe()).typedSearchAttributes;
    assert.deepEqual(attrs.get(searchAttributes.changedInQuickbooks), ['Payment']);
  });

  it('is not set by other waits, nor by runs started at revision 2', async () => {
    const other = testDocument();
    h.script(other, 'ensureInvoice', () => failure('duplicate_doc_number'));
    const otherHandle = await h.start(other);
    await h.waitFor(otherHandle, isState('needs_attention'), 'needs_attention');
    const otherAttrs = (await otherHandle.describe()).typedSearchAttributes;
    assert.equal(otherAttrs.get(searchAttributes.changedInQuickbooks), undefined);

    const old = testDocument();
    h.script(old, 'ensureInvoice', () => failure('changed_in_quickbooks'));
    const oldHandle = await h.start(old, { revision: 2 });
    await h.waitFor(oldHandle, isState('needs_attention'), 'needs_attention');
    const oldAttrs = (await oldHandle.describe()).typedSearchAttributes;
    assert.equal(oldAttrs.get(searchAttributes.errorPattern), 'changed_in_quickbooks');
    assert.equal(
      oldAttrs.get(searchAttributes.changedInQuickbooks),
      undefined,
      'revision 2 replays its own path',
    );
  });
});
