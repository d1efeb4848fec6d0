import { qboTimestamp } from '../clock';
import type { Company, QboObject } from '../state';
import { liveRecords } from './records';
import { roundMoney } from './text-rules';

function byNumericId(a: { data: QboObject }, b: { data: QboObject }): number {
  return Number(a.data.Id) - Number(b.data.Id);
}

/** Payments in the order they apply: by numeric Id (records keyed by integer Ids come in that order already). */
function inApplyOrder<T extends { data: QboObject }>(payments: T[]): T[] {
  for (let i = 1; i < payments.length; i++)
    if (byNumericId(payments[i - 1], payments[i]) > 0) return payments.sort(byNumericId);
  return payments;
}

/** Whether an invoice's stored LinkedTxn already says exactly `links` (this runs for every invoice on every write). */
function sameLinks(stored: unknown, links: QboObject[]): boolean {
  const current = (stored ?? []) as QboObject[];
  if (!Array.isArray(current) || current.length !== links.length) return false;
  return current.every((l, i) => {
    const keys = l && typeof l === 'object' ? Object.keys(l) : [];
    return (
      keys.length === 2 &&
      keys[0] === 'TxnId' &&
      keys[1] === 'TxnType' &&
      l.TxnId === links[i].TxnId &&
      l.TxnType === links[i].TxnType
    );
  });
}

/**
 * Recomputes derived amounts after any write: Invoice.Balance and LinkedTxn from payments,
 * Payment.UnappliedAmt, Customer.Balance (open invoices minus unapplied credit).
 * An invoice whose balance or links change gets a new SyncToken, as in QuickBooks, unless it is
 * `justWritten` (its write already bumped it).
 */
export function recomputeBalances(company: Company, now: number, justWritten?: string): void {
  const invoices = liveRecords(company, 'Invoice');
  const open = new Map<string, number>();
  const links = new Map<string, QboObject[]>();
  for (const inv of invoices) {
    open.set(inv.data.Id, inv.voided ? 0 : Number(inv.data.TotalAmt ?? 0));
    links.set(inv.data.Id, []);
  }
  const unappliedByCustomer = new Map<string, number>();
  for (const pay of inApplyOrder(liveRecords(company, 'Payment'))) {
    if (pay.voided) continue;
    let applied = 0;
    for (const line of pay.data.Line ?? []) {
      const invoiceId = String(line.LinkedTxn?.[0]?.TxnId);
      if (!open.has(invoiceId)) continue;
      const amount = Math.min(Number(line.Amount ?? 0), open.get(invoiceId) ?? 0);
      if (amount <= 0) continue;
      open.set(invoiceId, roundMoney((open.get(invoiceId) ?? 0) - amount));
      links.get(invoiceId)?.push({ TxnId: pay.data.Id, TxnType: 'Payment' });
      applied += amount;
    }
    pay.data.UnappliedAmt = roundMoney(Number(pay.data.TotalAmt ?? 0) - applied);
    const customerId = String(pay.data.CustomerRef?.value);
    unappliedByCustomer.set(customerId, (unappliedByCustomer.get(customerId) ?? 0) + pay.data.UnappliedAmt);
  }
  const owedByCustomer = new Map<string, number>();
  for (const inv of invoices) {
    const balance = open.get(inv.data.Id) ?? 0;
    const linked = links.get(inv.data.Id) ?? [];
    if (inv.data.Balance !== balance || !sameLinks(inv.data.LinkedTxn, linked)) {
      inv.data.Balance = balance;
      inv.data.LinkedTxn = linked;
      if (inv.data.Id !== justWritten) {
        inv.data.SyncToken = String(Number(inv.data.SyncToken) + 1);
        inv.data.MetaData = { ...inv.data.MetaData, LastUpdatedTime: qboTimestamp(now) };
      }
    }
    const customerId = String(inv.data.CustomerRef?.value);
    owedByCustomer.set(customerId, (owedByCustomer.get(customerId) ?? 0) + balance);
  }
  for (const customer of liveRecords(company, 'Customer')) {
    const id = customer.data.Id;
    const balance = roundMoney((owedByCustomer.get(id) ?? 0) - (unappliedByCustomer.get(id) ?? 0));
    customer.data.Balance = balance;
    customer.data.BalanceWithJobs = balance;
  }
}
