import type { SyncDocument } from '../../workflows/contract';
import { expectedBalances } from './backlog';

type QboRecord = Record<string, any>;

export interface QboSnapshot {
  customers: QboRecord[];
  invoices: QboRecord[];
  payments: QboRecord[];
}

const markerOf = (sourceId: string) => `qbo-sync:${sourceId}`;
const hasMarker = (record: QboRecord, marker: string) =>
  typeof record.PrivateNote === 'string' && record.PrivateNote.split(/\s+/).includes(marker);
const isVoided = (record: QboRecord) => /\bVoided\b/.test(String(record.PrivateNote ?? ''));
const describe = (r: QboRecord) =>
  `Id=${r.Id} TotalAmt=${r.TotalAmt} PrivateNote=${JSON.stringify(r.PrivateNote)}${r.status ? ` status=${r.status}` : ''}`;

/**
 * Compares what QuickBooks holds with the documents that were synced and returns every divergence as a
 * sentence naming the record: each invoice and payment exactly once (voided or deleted copies count as
 * duplicates), invoice totals as sent, one customer per source customer, and each customer's balance.
 */
export function divergences(docs: SyncDocument[], qbo: QboSnapshot): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const total = Math.round(doc.lines.reduce((sum, l) => sum + l.amount, 0) * 100) / 100;
    const invoices = qbo.invoices.filter((r) => hasMarker(r, markerOf(doc.invoice.sourceId)));
    if (invoices.length !== 1) {
      problems.push(
        `invoice ${doc.invoice.sourceId} (DocNumber ${doc.invoice.docNumber}) is in QuickBooks ${invoices.length} times` +
          (invoices.length ? `: ${invoices.map(describe).join('; ')}` : ''),
      );
    } else if (isVoided(invoices[0]) || invoices[0].status === 'Deleted') {
      problems.push(`invoice ${doc.invoice.sourceId} exists only voided/deleted: ${describe(invoices[0])}`);
    } else if (Number(invoices[0].TotalAmt) !== total) {
      problems.push(
        `invoice ${doc.invoice.sourceId} has TotalAmt ${invoices[0].TotalAmt}, the document totals ${total}`,
      );
    }
    const byDocNumber = qbo.invoices.filter((r) => r.DocNumber === doc.invoice.docNumber);
    if (byDocNumber.length > 1) {
      problems.push(
        `DocNumber ${doc.invoice.docNumber} is used by ${byDocNumber.length} invoices: ${byDocNumber.map(describe).join('; ')}`,
      );
    }
    for (const payment of doc.payments) {
      const found = qbo.payments.filter((r) => hasMarker(r, markerOf(payment.sourceId)));
      if (found.length !== 1) {
        problems.push(
          `payment ${payment.sourceId} of invoice ${doc.invoice.sourceId} is in QuickBooks ${found.length} times` +
            (found.length ? `: ${found.map(describe).join('; ')}` : ''),
        );
      } else if (isVoided(found[0]) || found[0].status === 'Deleted') {
        problems.push(`payment ${payment.sourceId} exists only voided/deleted: ${describe(found[0])}`);
      } else if (Number(found[0].TotalAmt) !== payment.amount) {
        problems.push(
          `payment ${payment.sourceId} has TotalAmt ${found[0].TotalAmt}, the document says ${payment.amount}`,
        );
      }
    }
  }
  const expectedInvoices = docs.length;
  const expectedPayments = docs.reduce((n, d) => n + d.payments.length, 0);
  if (qbo.invoices.length !== expectedInvoices) {
    problems.push(
      `QuickBooks holds ${qbo.invoices.length} invoices (incl. voided/deleted), ${expectedInvoices} were sent`,
    );
  }
  if (qbo.payments.length !== expectedPayments) {
    problems.push(
      `QuickBooks holds ${qbo.payments.length} payments (incl. voided/deleted), ${expectedPayments} were sent`,
    );
  }
  for (const [displayName, balance] of expectedBalances(docs)) {
    const found = qbo.customers.filter((c) => c.DisplayName === displayName);
    if (found.length !== 1) {
      problems.push(
        `customer "${displayName}" is in QuickBooks ${found.length} times (ids ${found.map((c) => c.Id).join(', ') || 'none'})`,
      );
      continue;
    }
    const actual = Math.round(Number(found[0].Balance) * 100) / 100;
    if (actual !== balance) {
      problems.push(
        `customer "${displayName}" (Id ${found[0].Id}) has Balance ${actual} in QuickBooks; the source says ${balance}`,
      );
    }
  }
  return problems;
}
