import { cents, type CompanyFile, type InvoiceRecord, type PaymentRecord } from './records';

/** Sum of an invoice's lines (no sales tax is simulated). */
export function invoiceTotal(invoice: InvoiceRecord): number {
  return cents(invoice.lines.reduce((sum, line) => sum + line.Amount, 0));
}

/** What payments have applied to an invoice so far. */
export function appliedTo(file: CompanyFile, txnId: string): number {
  let applied = 0;
  for (const payment of file.payments.values())
    for (const app of payment.applied) if (app.TxnID === txnId) applied += app.Amount;
  return cents(applied);
}

export function balanceRemaining(file: CompanyFile, invoice: InvoiceRecord): number {
  return cents(invoiceTotal(invoice) - appliedTo(file, invoice.TxnID));
}

/** The part of a payment not applied to any invoice. */
export function unusedPayment(payment: PaymentRecord): number {
  return cents(payment.TotalAmount - payment.applied.reduce((sum, app) => sum + app.Amount, 0));
}

/** Customer.Balance: open invoices less unused payments. */
export function customerBalance(file: CompanyFile, listId: string): number {
  let balance = 0;
  for (const invoice of file.invoices.values())
    if (invoice.CustomerRef.ListID === listId) balance += balanceRemaining(file, invoice);
  for (const payment of file.payments.values())
    if (payment.CustomerRef.ListID === listId) balance -= unusedPayment(payment);
  return cents(balance);
}
