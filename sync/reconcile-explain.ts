/**
 * Compares QuickBooks' side (every customer, invoice and payment, read in bulk) with the source documents
 * and our links, and explains each difference. Pure: no I/O, so it is tested and measured on its own.
 */
import type { QboRecord } from '../quickbooks/client';
import { cents, createContext, money, str, type ReconcileInput } from './reconcile-context';
import { explainQuickbooksSide } from './reconcile-quickbooks-side';
import { explainSourceSide } from './reconcile-source-side';
import {
  mismatchKinds,
  type CustomerBalance,
  type Mismatch,
  type MismatchKind,
  type ReconciliationResult,
} from './reconciliation';

export type { ReconcileInput } from './reconcile-context';

/** Explains every mismatch between QuickBooks, the source documents and the links of one company. */
export function explainMismatches(input: ReconcileInput): ReconciliationResult {
  const { documents } = input;
  const ctx = createContext(input);
  const { mismatches, expected, customerSource, qbo, push } = ctx;
  const sourcePayments = explainSourceSide(ctx, documents);
  const invoicesWithoutDocument = explainQuickbooksSide(ctx, input.links, documents, sourcePayments);

  offerLinks(mismatches);
  const customers = balances(input, expected, customerSource, qbo.Customer);
  for (const c of customers) {
    const explained = mismatches
      .filter((m) => m.customer.qboId === c.qboId)
      .reduce((sum, m) => sum + m.impactCents, 0);
    const rest = c.differenceCents - explained;
    if (rest !== 0)
      push({
        kind: 'unexplained',
        reason: 'balance',
        entity: 'Customer',
        customer: { qboId: c.qboId, sourceId: c.sourceId, name: c.name },
        qboId: c.qboId,
        sourceId: c.sourceId,
        amountCents: rest,
        impactCents: rest,
        explanation:
          `Customer ${c.name ?? c.sourceId} owes ${money(c.quickbooksCents)} in QuickBooks and ${money(c.sourceCents)} ` +
          `by the source documents; ${money(rest)} of the difference is not explained by any record above.`,
        fix: "Trace the customer's transactions in QuickBooks (credit memos, journal entries, refunds) with a bookkeeper.",
        actions: [],
      });
    if (c.declaredCents !== undefined && c.declaredCents !== c.sourceCents)
      push({
        id: `unexplained:declared:${c.sourceId}`,
        kind: 'unexplained',
        reason: 'declared_differs',
        entity: 'Customer',
        customer: { qboId: c.qboId, sourceId: c.sourceId, name: c.name },
        sourceId: c.sourceId,
        amountCents: c.declaredCents - c.sourceCents,
        impactCents: 0,
        explanation:
          `The source app declares customer ${c.sourceId} owes ${money(c.declaredCents)}, but the documents it ` +
          `sent to qbo-sync add up to ${money(c.sourceCents)}: a document or payment was not sent.`,
        fix: 'Send the missing documents (POST /v1/syncs); QuickBooks is not changed for this one.',
        actions: [],
      });
  }

  const byKind = Object.fromEntries(mismatchKinds.map((k) => [k, 0])) as Record<MismatchKind, number>;
  for (const m of mismatches) byKind[m.kind]++;
  const sum = (f: (c: CustomerBalance) => number) => customers.reduce((s, c) => s + f(c), 0);
  return {
    totals: {
      customers: customers.length,
      customersMismatched: customers.filter((c) => c.differenceCents !== 0).length,
      invoices: qbo.Invoice.size,
      payments: qbo.Payment.size,
      sourceDocuments: documents.length,
      invoicesWithoutDocument,
      quickbooksCents: sum((c) => c.quickbooksCents),
      sourceCents: sum((c) => c.sourceCents),
      differenceCents: sum((c) => c.differenceCents),
      unexplainedCents: mismatches
        .filter((m) => m.kind === 'unexplained' && m.reason === 'balance')
        .reduce((s, m) => s + m.amountCents, 0),
      byKind,
    },
    customers,
    mismatches,
  };
}

/** A payment entered in QuickBooks directly may be a source payment never synced: offer to link the two. */
function offerLinks(mismatches: Mismatch[]): void {
  const unsynced = mismatches.filter((m) => m.kind === 'not_synced' && m.entity === 'Payment');
  const taken = new Set<string>();
  for (const m of mismatches) {
    if (m.kind !== 'entered_in_quickbooks' || m.entity !== 'Payment') continue;
    const same = unsynced.find(
      (u) =>
        !taken.has(u.sourceId!) && u.customer.qboId === m.customer.qboId && u.amountCents === m.amountCents,
    );
    if (!same) continue;
    taken.add(same.sourceId!);
    m.fix = `It looks like source payment ${same.sourceId} (same customer and amount): link them. ${m.fix}`;
    m.actions.push({
      kind: 'link',
      label: `Link to ${same.sourceId}`,
      target: { entity: 'Payment', qboId: m.qboId, sourceId: same.sourceId },
    });
  }
}

function balances(
  input: ReconcileInput,
  expected: Map<string, number>,
  customerSource: Map<string, string>,
  qboCustomers: Map<string, QboRecord>,
): CustomerBalance[] {
  const declared = new Map(input.declared.map((d) => [d.customerSourceId, cents(d.balance)]));
  const out: CustomerBalance[] = [];
  for (const [qboId, sourceId] of customerSource) {
    const record = qboCustomers.get(qboId);
    const quickbooksCents = cents(record?.Balance);
    const sourceCents = expected.get(qboId) ?? 0;
    out.push({
      sourceId,
      qboId,
      name: str(record?.DisplayName),
      quickbooksCents,
      sourceCents,
      ...(declared.has(sourceId) ? { declaredCents: declared.get(sourceId) } : {}),
      differenceCents: quickbooksCents - sourceCents,
    });
  }
  return out;
}
