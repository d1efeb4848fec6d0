import { qboTimestamp } from '../clock';
import type { Company, QboObject } from '../state';
import { liveRecords } from './records';
import { roundMoney } from './text-rules';

function byNumericId(a: { data: QboObject }, b: { data: QboObject }): number {
  return Number(a.data.Id) - Number(b.data.Id);
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
  for (const pay of liveRecords(company, 'Payment').sort(byNumericId)) {
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
    if (inv.data.Balance !== balance || JSON.stringify(inv.data.LinkedTxn ?? []) !== JSON.stringify(linked)) {
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
