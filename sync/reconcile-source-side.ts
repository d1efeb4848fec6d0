import { syncWorkflowId } from '../workflows/contract';
import type { StoredDocument } from '../db/queries/source-documents';
import { isVoided } from './markers';
import { cents, money, resync, salesSubtotal, type ExplainContext } from './reconcile-context';

/** What the source documents say each payment is: source payment id → invoice and cents. */
export type SourcePayments = Map<string, { invoiceSourceId: string; amount: number }>;

/**
 * The source side: each document's invoice and payments against their links and QuickBooks records —
 * never synced, missing in QuickBooks, or amount edited — and what each customer owes by the documents.
 */
export function explainSourceSide(ctx: ExplainContext, documents: StoredDocument[]): SourcePayments {
  const { realmId, qbo, linkOf, add, push, customerOf } = ctx;
  const sourcePayments: SourcePayments = new Map();
  for (const doc of documents) {
    const syncId = syncWorkflowId(realmId, doc.invoice.sourceId);
    const customerQboId = linkOf.Customer.get(doc.customer.sourceId)?.qboId ?? undefined;
    const customer = { ...customerOf(customerQboId), sourceId: doc.customer.sourceId };
    const linesTotal = doc.lines.reduce((sum, l) => sum + cents(l.amount), 0);
    const paid = doc.payments.reduce((sum, p) => sum + cents(p.amount), 0);
    for (const p of doc.payments)
      sourcePayments.set(p.sourceId, { invoiceSourceId: doc.invoice.sourceId, amount: cents(p.amount) });
    const invLink = linkOf.Invoice.get(doc.invoice.sourceId);
    if (invLink?.linkedBy === 'manual') continue; // entered by hand: a person vouches for it
    if (!customerQboId || invLink?.status !== 'linked' || !invLink.qboId) {
      if (customerQboId) add(customerQboId, linesTotal - paid);
      push({
        kind: 'not_synced',
        entity: 'Invoice',
        customer,
        sourceId: doc.invoice.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        amountCents: linesTotal,
        impactCents: -(linesTotal - paid),
        syncId,
        linkStatus: invLink?.status ?? 'none',
        explanation:
          `Source invoice ${doc.invoice.sourceId} (${money(linesTotal)} before tax` +
          (paid ? `, ${money(paid)} paid` : '') +
          `) was never synced: its sync ${syncId} is waiting or failed (link ${invLink?.status ?? 'none'}).`,
        fix: 'Open the sync, fix what it waits for and retry it (or re-sync from here): QuickBooks then gets the invoice.',
        actions: [resync(doc.invoice.sourceId)],
      });
      continue;
    }
    const record = qbo.Invoice.get(invLink.qboId);
    if (!record || isVoided(record)) {
      add(customerQboId, linesTotal);
      push({
        kind: 'missing_in_quickbooks',
        entity: 'Invoice',
        customer,
        sourceId: doc.invoice.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        qboId: invLink.qboId,
        amountCents: linesTotal,
        impactCents: -linesTotal,
        syncId,
        explanation:
          `Source invoice ${doc.invoice.sourceId} is linked to QuickBooks invoice ${invLink.qboId}, which is ` +
          `${record ? 'voided' : 'deleted'} in QuickBooks (${money(linesTotal)} before tax missing).`,
        fix: 'Create the missing invoice again (re-sync); do not remove the source invoice.',
        actions: [resync(doc.invoice.sourceId)],
      });
    } else {
      const subtotal = salesSubtotal(record);
      const tax = cents(record.TotalAmt) - subtotal;
      add(customerQboId, linesTotal + tax);
      if (subtotal !== linesTotal) {
        const lagging = (invLink.sourceVersion ?? 0) < doc.invoice.version;
        push({
          kind: lagging ? 'not_synced' : 'amount_edited',
          entity: 'Invoice',
          customer,
          sourceId: doc.invoice.sourceId,
          invoiceSourceId: doc.invoice.sourceId,
          qboId: record.Id,
          amountCents: subtotal,
          impactCents: subtotal - linesTotal,
          syncId,
          explanation: lagging
            ? `Version ${doc.invoice.version} of source invoice ${doc.invoice.sourceId} (${money(linesTotal)}) ` +
              `is not synced yet: QuickBooks invoice ${record.Id} still has version ${invLink.sourceVersion ?? '?'} ` +
              `(${money(subtotal)}); its sync ${syncId} is waiting or failed.`
            : `QuickBooks invoice ${record.Id} totals ${money(subtotal)} before tax; the source invoice ` +
              `${doc.invoice.sourceId} says ${money(linesTotal)}: its amount was edited in QuickBooks.`,
          fix: lagging
            ? 'Open the sync, fix what it waits for and retry it.'
            : 'Re-sync to put the source amount back, or correct the source app if QuickBooks is right.',
          actions: [resync(doc.invoice.sourceId)],
        });
      }
    }
    for (const p of doc.payments) {
      const amount = cents(p.amount);
      add(customerQboId, -amount);
      const pl = linkOf.Payment.get(p.sourceId);
      if (pl?.linkedBy === 'manual') continue;
      const base = {
        entity: 'Payment' as const,
        customer,
        sourceId: p.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        syncId,
        amountCents: amount,
      };
      if (pl?.status !== 'linked' || !pl.qboId) {
        push({
          ...base,
          kind: 'not_synced',
          impactCents: amount,
          linkStatus: pl?.status ?? 'none',
          explanation:
            `Source payment ${p.sourceId} (${money(amount)} on ${p.txnDate}) of invoice ${doc.invoice.sourceId} ` +
            `was never synced: its sync ${syncId} is waiting or failed (link ${pl?.status ?? 'none'}).`,
          fix: 'Open the sync, fix what it waits for and retry it (or re-sync from here).',
          actions: [resync(doc.invoice.sourceId)],
        });
        continue;
      }
      const rec = qbo.Payment.get(pl.qboId);
      if (!rec || isVoided(rec)) {
        push({
          ...base,
          kind: 'missing_in_quickbooks',
          qboId: pl.qboId,
          impactCents: amount,
          explanation:
            `Source payment ${p.sourceId} (${money(amount)}) is linked to QuickBooks payment ${pl.qboId}, ` +
            `which is ${rec ? 'voided' : 'deleted'} in QuickBooks.`,
          fix: 'Record the payment again (re-sync); do not remove it from the source app.',
          actions: [resync(doc.invoice.sourceId)],
        });
      } else if (cents(rec.TotalAmt) !== amount) {
        push({
          ...base,
          kind: 'amount_edited',
          qboId: rec.Id,
          amountCents: cents(rec.TotalAmt),
          impactCents: amount - cents(rec.TotalAmt),
          explanation:
            `QuickBooks payment ${rec.Id} is ${money(cents(rec.TotalAmt))}; source payment ${p.sourceId} is ` +
            `${money(amount)}: its amount was edited in QuickBooks.`,
          fix: 'Re-sync to put the source amount back, or correct the source app if QuickBooks is right.',
          actions: [resync(doc.invoice.sourceId)],
        });
      }
    }
  }
  return sourcePayments;
}
