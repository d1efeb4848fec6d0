import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../config';
import { payloadDataConverter } from '../lib/payload-codec';
import { invoiceDocument, unique } from '../test/support/documents';
import type { System } from '../test/support/system';
import { documentSubmittedSignal, searchAttributes, type SyncDocument } from '../workflows/contract';
import { countSyncs, temporalClient, waitCount, type Figure } from './measure';

const EventType = temporal.api.enums.v1.EventType;

/**
 * Enqueues a document the way the API did before issue #11: a revision-1 run (no `revision` in its input),
 * the document both in the start input and in a documentSubmitted signal. Running syncs started that way
 * still replay revision 1, so the worker runs it as it did; the bench measures it as the "before".
 */
async function enqueueAsBefore(system: System, doc: SyncDocument): Promise<string> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const client = new Client({
      connection,
      dataConverter: payloadDataConverter(loadConfig({}).payloadKeys),
    });
    const syncId = `sync:${doc.realmId}:${doc.invoice.sourceId}`;
    const input = { document: doc };
    await client.workflow.signalWithStart('syncInvoice', {
      workflowId: syncId,
      taskQueue: system.taskQueue,
      args: [input],
      signal: documentSubmittedSignal,
      signalArgs: [input],
      typedSearchAttributes: [
        { key: searchAttributes.realmId, value: doc.realmId },
        { key: searchAttributes.sourceInvoiceId, value: doc.invoice.sourceId },
        { key: searchAttributes.syncState, value: 'queued' },
      ],
    });
    return syncId;
  } finally {
    await connection.close();
  }
}

/**
 * Parts 1 and 2: QuickBooks calls per invoice (first-time and steady-state) from the simulator's
 * per-company counters, and Temporal history events and billable actions per sync from fetchHistory(),
 * for today's syncs and for a steady-state sync run as before issue #11 (revision 1).
 */
export async function measureCalls(system: System): Promise<Figure[]> {
  const { client, close } = await temporalClient();
  try {
    const { realmId } = await system.newCompany();
    const first = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-03', amount: 100 }],
    });
    const tag = unique();
    const second = {
      ...first,
      invoice: { ...first.invoice, sourceId: `inv-${tag}`, docNumber: `INV-${tag}` },
      payments: [{ sourceId: `pay-${tag}`, txnDate: '2026-11-03', amount: 100 }],
    };
    const tagBefore = unique();
    const before = {
      ...first,
      invoice: { ...first.invoice, sourceId: `inv-${tagBefore}`, docNumber: `INV-${tagBefore}` },
      payments: [{ sourceId: `pay-${tagBefore}`, txnDate: '2026-11-03', amount: 100 }],
    };
    const rows: Figure[] = [];
    const histories: { label: string; events: number; billable: number; parts: string }[] = [];
    for (const [label, doc, n] of [
      ['first-time', first, 1],
      ['steady-state', second, 2],
      ['steady-state, as before #11 (revision 1)', before, 3],
    ] as const) {
      await system.sim('DELETE', `/_sim/companies/${realmId}/requests`);
      let syncId: string;
      if (n === 3) syncId = await enqueueAsBefore(system, doc);
      else {
        const res = await system.api('POST', '/v1/syncs', doc);
        if (res.status !== 202) throw new Error(`enqueue refused: ${res.text}`);
        syncId = res.body.syncId;
      }
      if (
        (await waitCount(
          label,
          () => countSyncs(client, realmId, `ExecutionStatus = 'Completed'`),
          n,
          120_000,
        )) === null
      ) {
        throw new Error(`${label} sync did not complete`);
      }
      const c = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body;
      rows.push({
        figure: `QuickBooks calls per invoice, ${label}`,
        value: `${c.total} (writes ${c.writes}, reads ${c.reads}, queries ${c.queries}, 429s ${c.byStatus['429'] ?? 0})`,
        how: `simulator counters for the company, reset before one sync of an invoice with 2 lines and 1 payment${n > 1 ? ' whose customer and items were synced by the first invoice' : ' on a new company (customer and items new)'}${n === 3 ? '; started as the API did before #11 (signalWithStart, no revision)' : ''}`,
      });
      const history = await client.workflow.getHandle(syncId).fetchHistory();
      const types = (history.events ?? []).map((e) => e.eventType);
      const countOf = (t: number) => types.filter((x) => x === t).length;
      const parts = {
        start: countOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
        signals: countOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
        activities: countOf(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
        timers: countOf(EventType.EVENT_TYPE_TIMER_STARTED),
        upserts: countOf(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
      };
      const billable = Object.values(parts).reduce((a, b) => a + b, 0);
      histories.push({ label, events: types.length, billable, parts: JSON.stringify(parts) });
    }
    for (const h of histories) {
      rows.push({
        figure: `Temporal history events per sync, ${h.label}`,
        value: String(h.events),
        how: 'handle.fetchHistory().events.length of the completed sync above',
      });
      rows.push({
        figure: `Billable actions per sync (estimate), ${h.label}`,
        value: h.label === 'steady-state' ? `${h.billable} (target ≤ 8)` : String(h.billable),
        how: `events in its history: workflow start + signals + ActivityTaskScheduled + TimerStarted + UpsertWorkflowSearchAttributes = ${h.parts} (activity retries and queries not counted)`,
      });
    }
    return rows;
  } finally {
    await close();
  }
}
