import { listLinks } from '../db/queries/links';
import { saveReconciliation } from '../db/queries/reconciliations';
import { listSourceBalances } from '../db/queries/source-balances';
import { listSourceDocuments } from '../db/queries/source-documents';
import type { FindCriteria } from './ledger';
import { explainMismatches } from './reconcile-explain';
import type { ReconciliationTotals } from './reconciliation';
import type { SyncDeps } from './sync-deps';

const PAGE = 1000; // the client's page size (quickbooks/client.ts): a read of n rows takes ⌊n/1000⌋+1 calls

/** What one run returns to its workflow (the full result is in Postgres). */
export interface ReconcileSummary {
  reconciliationId: number;
  mismatches: number;
  qboCalls: number;
  totals: ReconciliationTotals;
}

/**
 * Reconciles one company: reads every Customer, Invoice and Payment in pages of 1000 (never one read per
 * customer), the stored source documents, declared balances and our links, explains each mismatch and
 * stores the result. Throws QboFault when QuickBooks refuses a read.
 */
export async function reconcileCompany(deps: SyncDeps, realmId: string): Promise<ReconcileSummary> {
  const startedAt = new Date();
  let qboCalls = 0;
  const readAll = async (entity: 'Customer' | 'Invoice' | 'Payment', criteria?: FindCriteria) => {
    const rows = await deps.ledger.find(realmId, entity, criteria);
    qboCalls += Math.floor(rows.length / PAGE) + 1;
    return rows;
  };
  // Active and inactive customers: an inactive one may still owe money.
  const customers = [...(await readAll('Customer')), ...(await readAll('Customer', { active: 'inactive' }))];
  const invoices = await readAll('Invoice');
  const payments = await readAll('Payment');
  const [documents, links, declared] = await Promise.all([
    listSourceDocuments(deps.db, realmId),
    listLinks(deps.db, realmId),
    listSourceBalances(deps.db, realmId),
  ]);
  const result = explainMismatches({
    realmId,
    documents,
    links,
    declared,
    quickbooks: { customers, invoices, payments },
  });
  const reconciliationId = await saveReconciliation(deps.db, {
    realmId,
    startedAt,
    totals: result.totals,
    mismatches: {
      customers: result.customers.filter((c) => c.differenceCents !== 0),
      list: result.mismatches,
    },
    qboCalls,
  });
  return { reconciliationId, mismatches: result.mismatches.length, qboCalls, totals: result.totals };
}
