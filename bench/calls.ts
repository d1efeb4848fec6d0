import { temporal } from '@temporalio/proto';
import { invoiceDocument, unique } from '../test/support/documents';
import type { System } from '../test/support/system';
import { countSyncs, temporalClient, waitCount, type Figure } from './measure';

const EventType = temporal.api.enums.v1.EventType;

/**
 * Parts 1 and 2: QuickBooks calls per invoice (first-time and steady-state) from the simulator's
 * per-company counters, and Temporal history events and billable actions per sync from fetchHistory().
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
    const rows: Figure[] = [];
    const histories: { label: string; events: number; billable: number; parts: string }[] = [];
    for (const [label, doc, n] of [
      ['first-time', first, 1],
      ['steady-state', second, 2],
    ] as const) {
      await system.sim('DELETE', `/_sim/companies/${realmId}/requests`);
      const res = await system.api('POST', '/v1/syncs', doc);
      if (res.status !== 202) throw new Error(`enqueue refused: ${res.text}`);
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
        how: `simulator counters for the company, reset before one sync of an invoice with 2 lines and 1 payment${label === 'steady-state' ? ' whose customer and items were synced by the previous invoice' : ' on a new company (customer and items new)'}`,
      });
      const history = await client.workflow.getHandle(res.body.syncId).fetchHistory();
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
        value: String(h.billable),
        how: `events in its history: workflow start + signals + ActivityTaskScheduled + TimerStarted + UpsertWorkflowSearchAttributes = ${h.parts} (activity retries and queries not counted)`,
      });
    }
    return rows;
  } finally {
    await close();
  }
}
