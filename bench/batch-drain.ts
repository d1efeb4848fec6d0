import type { System } from '../test/support/system';
import {
  countSyncs,
  enqueueBatches,
  peakRssMb,
  steadyDocument,
  temporalClient,
  waitCount,
  warmCompany,
  workerPid,
  type Figure,
} from './measure';

/** QuickBooks' published per-request ceiling for one company (requests per minute). */
const CEILING = 500;

interface LogEntry {
  at: string;
  status: number;
  operation: string;
  items?: number;
  itemFaults?: number;
  limit?: string;
}

/**
 * QuickBooks operations per minute in the middle of a drain, from the simulator's request log: a batch
 * request counts its items, any other request one. The window is the one bench/drain.ts uses (20 s after
 * the first request to the 95th-percentile operation), so ramp-up and stragglers do not dilute it.
 */
function steadyOperations(log: LogEntry[], since: number) {
  const ops = log
    .filter((e) => e.status !== 429 && Date.parse(e.at) >= since)
    .flatMap((e) => Array<number>(e.operation === 'batch' ? (e.items ?? 1) : 1).fill(Date.parse(e.at)))
    .sort((a, b) => a - b);
  if (ops.length < 2) return { perMinute: 0, windowS: 0, operations: ops.length };
  const from = ops[0] + 20_000;
  const to = ops[Math.floor((ops.length - 1) * 0.95)];
  const inWindow = to > from ? ops.filter((t) => t >= from && t <= to).length : ops.length;
  const windowMs = to > from ? to - from : ops[ops.length - 1] - ops[0];
  return { perMinute: (inWindow / windowMs) * 60_000, windowS: windowMs / 1000, operations: ops.length };
}

/** Every invoice of the backlog exactly once, each with exactly its one payment, from the simulator's records. */
async function exactlyOnce(system: System, realmId: string, docNumbers: string[]): Promise<string[]> {
  const records = async (entity: string) =>
    (await system.sim('GET', `/_sim/companies/${realmId}/records/${entity}`)).body.records as any[];
  const invoices = await records('Invoice');
  const payments = await records('Payment');
  const byNumber = new Map<string, any[]>();
  for (const inv of invoices) byNumber.set(inv.DocNumber, [...(byNumber.get(inv.DocNumber) ?? []), inv]);
  const paid = new Map<string, number>();
  for (const p of payments)
    for (const line of p.Line ?? [])
      for (const t of line.LinkedTxn ?? []) paid.set(t.TxnId, (paid.get(t.TxnId) ?? 0) + 1);
  // Duplicates first: a record twice is a broken promise, one not there yet is a drain that did not finish.
  const twice: string[] = [];
  const missing: string[] = [];
  for (const n of docNumbers) {
    const found = byNumber.get(n) ?? [];
    const payments = found.length === 1 ? (paid.get(found[0].Id) ?? 0) : 0;
    if (found.length > 1 || payments > 1) twice.push(`${n}: ${found.length} invoices, ${payments} payments`);
    else if (found.length === 0 || payments === 0)
      missing.push(`${n}: ${found.length} invoices, ${payments} payments`);
  }
  return [...twice.map((t) => `twice: ${t}`), ...missing.map((m) => `missing: ${m}`)];
}

/**
 * #16: a steady-state backlog for one company (customer and items already linked; each document one
 * invoice and one payment, so two QuickBooks writes per sync, as the issue's ~245 invoices/min baseline)
 * drained with batch writes on, 150 ms simulator latency on every request. Reports QuickBooks operations
 * per minute against the per-request ceiling of 500, the 429s, and every record checked exactly once.
 */
export async function measureBatchDrain(
  system: System,
  invoices: number,
  timeoutMs: number,
  /** The worker's WORKER_MAX_CACHED_WORKFLOWS, for the record. */
  cachedWorkflows: number,
): Promise<Figure[]> {
  const { client, close } = await temporalClient();
  try {
    const { realmId } = await system.newCompany();
    const template = await warmCompany(system, realmId, client);
    const docs = Array.from({ length: invoices }, () => steadyDocument(template, 1));
    const latency = await system.sim('POST', '/_sim/faults', { kind: 'latency', ms: 150 });
    if (latency.status !== 201) throw new Error(`latency fault refused: ${latency.text}`);
    try {
      const since = Date.now();
      await enqueueBatches(system, docs);
      const enqueuedS = (Date.now() - since) / 1000;
      const took = await waitCount(
        `batch drain 1×${invoices}`,
        () => countSyncs(client, realmId, `ExecutionStatus = 'Completed'`),
        invoices + 1,
        timeoutMs,
      );
      const log: LogEntry[] = (await system.sim('GET', `/_sim/companies/${realmId}/requests?since=0`)).body
        .requests;
      const counters = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body;
      const rate = steadyOperations(log, since);
      const batches = log.filter((e) => e.operation === 'batch' && e.status === 200);
      const batchedItems = batches.reduce((n, b) => n + (b.items ?? 0), 0);
      const itemFaults = batches.reduce((n, b) => n + (b.itemFaults ?? 0), 0);
      const refusedBy: Record<string, number> = {};
      for (const e of log)
        if (e.status === 429) refusedBy[e.limit ?? 'injected'] = (refusedBy[e.limit ?? 'injected'] ?? 0) + 1;
      const problems = await exactlyOnce(
        system,
        realmId,
        docs.map((d) => d.invoice.docNumber!),
      );
      const pid = workerPid(system);
      const peakMb = pid === null ? null : peakRssMb(pid);
      const seconds = took === null ? timeoutMs / 1000 : took / 1000;
      const ratio = rate.perMinute / CEILING;
      return [
        {
          figure: `Backlog drain with batch writes, 1 company × ${invoices} invoices + ${invoices} payments, 150 ms latency`,
          value:
            `${Math.round(rate.perMinute)} QuickBooks operations/min ÷ ${CEILING} = ${ratio.toFixed(2)} × the per-request ceiling; ` +
            `429s: ${counters.byStatus['429'] ?? 0}; ${problems.length === 0 ? 'every invoice and payment exactly once' : `${problems.filter((p) => p.startsWith('twice')).length} written twice, ${problems.filter((p) => p.startsWith('missing')).length} not (yet) written (${problems.slice(0, 3).join('; ')})`}; ` +
            `${took === null ? 'NOT drained after' : 'drained in'} ${seconds.toFixed(0)} s`,
          how:
            `steady-state backlog (customer + items linked, one payment per invoice) enqueued by batch in ${enqueuedS.toFixed(0)} s, ` +
            `one worker (WORKER_MAX_CACHED_WORKFLOWS=${cachedWorkflows}, peak RSS ${peakMb ?? '?'} MB), QBO_BATCH_WRITES=on, QBO_BATCH_SIZE=30; operations = items of each batch request + other requests in the simulator's ` +
            `request log (429s excluded) between first+20 s and the 95th-percentile operation (window ${Math.round(rate.windowS)} s); ` +
            `${counters.total} requests in all (writes ${counters.writes}, reads ${counters.reads}, queries ${counters.queries}, ` +
            `batches ${counters.batches}); ${batches.length} batch requests carrying ${batchedItems} writes ` +
            `(${batches.length ? (batchedItems / batches.length).toFixed(1) : 0} per batch, ${itemFaults} item faults); ` +
            `429s from the simulator's counters (by limit: ${JSON.stringify(refusedBy)}); exactly once: ` +
            `each DocNumber once among the simulator's invoices, each of those with exactly one payment linked`,
        },
      ];
    } finally {
      await system.sim('DELETE', '/_sim/faults');
    }
  } finally {
    await close();
  }
}
