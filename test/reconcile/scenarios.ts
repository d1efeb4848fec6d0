import { recordSourceDocument } from '../../db/queries/source-documents';
import type { PaymentDoc, SyncDocument } from '../../workflows/contract';
import { uid, type Harness } from '../activities/harness';

/** A one-line 500.00 invoice document for a new customer, with the given payments. */
export function document(realmId: string, payments: Omit<PaymentDoc, 'sourceId'>[] = []): SyncDocument {
  const tag = uid('t');
  return {
    realmId,
    customer: { sourceId: `cust-${tag}`, displayName: `Customer ${tag}` },
    invoice: { sourceId: `inv-${tag}`, version: 1, docNumber: `R-${tag.slice(-8)}`, txnDate: '2026-04-01' },
    lines: [
      {
        item: { sourceId: `item-${tag}`, name: `Consulting ${tag}`, type: 'Service', unitPrice: 250 },
        quantity: 2,
        amount: 500,
      },
    ],
    payments: payments.map((p) => ({ sourceId: uid('pay'), ...p })),
  };
}

/**
 * What the API and the sync workflow do with a document: store it, then run customer → items → invoice →
 * payments through the real activities. Returns the QuickBooks ids.
 */
export async function syncDocument(h: Harness, doc: SyncDocument) {
  await recordSourceDocument(h.db, doc);
  const { realmId } = doc;
  const syncId = `sync:${realmId}:${doc.invoice.sourceId}`;
  const customer = await h.run('ensureCustomer', { realmId, syncId, customer: doc.customer });
  const itemQboIds: Record<string, string> = {};
  for (const line of doc.lines)
    itemQboIds[line.item.sourceId] = (await h.run('ensureItem', { realmId, syncId, item: line.item })).qboId;
  const invoice = await h.run('ensureInvoice', {
    realmId,
    syncId,
    invoice: doc.invoice,
    lines: doc.lines,
    customerQboId: customer.qboId,
    itemQboIds,
  });
  const payments: string[] = [];
  for (const payment of doc.payments) {
    const result = await h.run('ensurePayment', {
      realmId,
      syncId,
      invoiceSourceId: doc.invoice.sourceId,
      payment,
      customerQboId: customer.qboId,
      invoiceQboId: invoice.qboId,
    });
    payments.push(result.qboId);
  }
  return { syncId, customerQboId: customer.qboId, invoiceQboId: invoice.qboId, payments };
}
