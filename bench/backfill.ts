import { invoiceDocument, unique } from '../test/support/documents';
import type { System } from '../test/support/system';
import { countSyncs, enqueueBatches, temporalClient, waitCount, type Figure } from './measure';

interface LoggedRequest {
  status: number;
  operation: string;
  entity?: string;
  path: string;
  items?: number;
}

/**
 * First-time invoices at scale: a backfill of `count` invoices of new customers (each with its own
 * customer, two new items and one payment, as the calls part's first-time invoice) on one new company,
 * enqueued by batch; QuickBooks calls per invoice from the company's simulator request log, split into
 * what each invoice costs and what the company costs once.
 */
export async function measureBackfill(system: System, count: number, timeoutMs: number): Promise<Figure[]> {
  const { client, close } = await temporalClient();
  try {
    const { realmId } = await system.newCompany();
    const docs = Array.from({ length: count }, () =>
      invoiceDocument(realmId, {
        payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-03', amount: 100 }],
      }),
    );
    const started = Date.now();
    await enqueueBatches(system, docs);
    const took = await waitCount(
      `backfill ${count}`,
      () => countSyncs(client, realmId, `ExecutionStatus = 'Completed'`),
      count,
      timeoutMs,
    );
    const log: LoggedRequest[] = (await system.sim('GET', `/_sim/companies/${realmId}/requests?since=0`)).body
      .requests;
    const answered = log.filter((e) => e.status !== 429);
    const kinds = new Map<string, number>();
    for (const e of answered) {
      // A query names its entity in its text (select … from Account where …).
      const queried = /\bfrom\s+(\w+)/i.exec(decodeURIComponent(e.path.replace(/\+/g, ' ')))?.[1];
      const kind = `${e.operation} ${e.entity ?? queried ?? ''}`.trim();
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const operations = answered.reduce((s, e) => s + (e.items ?? 1), 0);
    const perInvoice = (n: number) => (n / count).toFixed(2);
    const breakdown = [...kinds.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    const seconds = ((took ?? Date.now() - started) / 1000).toFixed(0);
    return [
      {
        figure: `First-time invoices: QuickBooks calls per invoice, ${count}-invoice backfill of new customers`,
        value: `${perInvoice(answered.length)} requests (${perInvoice(operations)} operations) per invoice; ${log.length - answered.length} × 429; ${took === null ? 'NOT all completed after' : 'all completed in'} ${seconds} s`,
        how: `one new company, ${count} documents each with a new customer, 2 new service items and 1 payment, enqueued by POST /v1/syncs/batch; every request in the company's simulator request log (GET /_sim/companies/:realm/requests), 429s left out, a batch request's items counted as operations; by kind: ${breakdown}`,
      },
    ];
  } finally {
    await close();
  }
}
