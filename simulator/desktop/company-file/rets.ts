import { appliedTo, balanceRemaining, customerBalance, invoiceTotal, unusedPayment } from './balances';
import {
  money,
  type AccountRecord,
  type CompanyFile,
  type InvoiceRecord,
  type ItemRecord,
  type NameRecord,
  type PaymentRecord,
  type Ref,
} from './records';

/**
 * The `…Ret` objects, fields in the order the qbXML schema gives them (the order QuickBooks writes). Booleans
 * and amounts as the strings qbXML carries; the control surface returns the same objects as JSON.
 */
const defined = (entries: [string, unknown][]): Record<string, unknown> =>
  Object.fromEntries(entries.filter(([, v]) => v !== undefined));

const ref = (r: Ref | undefined) => (r ? { ListID: r.ListID, FullName: r.FullName } : undefined);

function listHead(r: { ListID: string; TimeCreated: string; TimeModified: string; EditSequence: string }) {
  return [
    ['ListID', r.ListID],
    ['TimeCreated', r.TimeCreated],
    ['TimeModified', r.TimeModified],
    ['EditSequence', r.EditSequence],
  ] as [string, unknown][];
}

export function nameRet(file: CompanyFile, r: NameRecord): Record<string, unknown> {
  const base: [string, unknown][] = [...listHead(r), ['Name', r.Name]];
  if (r.kind !== 'Customer') return defined([...base, ['IsActive', String(r.IsActive)]]);
  const balance = money(customerBalance(file, r.ListID));
  return defined([
    ...base,
    ['FullName', r.Name],
    ['IsActive', String(r.IsActive)],
    ['Sublevel', '0'],
    ['CompanyName', r.CompanyName],
    ['FirstName', r.FirstName],
    ['LastName', r.LastName],
    ['BillAddress', r.BillAddress],
    ['Phone', r.Phone],
    ['Email', r.Email],
    ['Balance', balance],
    ['TotalBalance', balance],
    ['JobStatus', 'None'],
  ]);
}

export function accountRet(r: AccountRecord): Record<string, unknown> {
  return defined([
    ...listHead(r),
    ['Name', r.Name],
    ['FullName', r.Name],
    ['IsActive', String(r.IsActive)],
    ['Sublevel', '0'],
    ['AccountType', r.AccountType],
  ]);
}

export function itemRet(r: ItemRecord): Record<string, unknown> {
  return defined([
    ...listHead(r),
    ['Name', r.Name],
    ['FullName', r.Name],
    ['IsActive', String(r.IsActive)],
    ['Sublevel', '0'],
    [
      'SalesOrPurchase',
      defined([
        ['Desc', r.Desc],
        ['Price', r.Price === undefined ? undefined : money(r.Price)],
        ['AccountRef', ref(r.AccountRef)],
      ]),
    ],
  ]);
}

function txnHead(r: InvoiceRecord | PaymentRecord): [string, unknown][] {
  return [
    ['TxnID', r.TxnID],
    ['TimeCreated', r.TimeCreated],
    ['TimeModified', r.TimeModified],
    ['EditSequence', r.EditSequence],
    ['TxnNumber', String(r.TxnNumber)],
    ['CustomerRef', ref(r.CustomerRef)],
    ['ARAccountRef', ref(r.ARAccountRef)],
    ['TxnDate', r.TxnDate],
    ['RefNumber', r.RefNumber],
  ];
}

export function invoiceRet(
  file: CompanyFile,
  r: InvoiceRecord,
  includeLines = true,
): Record<string, unknown> {
  const balance = balanceRemaining(file, r);
  return defined([
    ...txnHead(r),
    ['IsPending', 'false'],
    ['DueDate', r.DueDate],
    ['Subtotal', money(invoiceTotal(r))],
    ['SalesTaxPercentage', '0.00'],
    ['SalesTaxTotal', '0.00'],
    // Desktop reports payments applied to an invoice as a negative amount.
    ['AppliedAmount', money(-appliedTo(file, r.TxnID))],
    ['BalanceRemaining', money(balance)],
    ['Memo', r.Memo],
    ['IsPaid', String(balance <= 0 && r.lines.length > 0)],
    [
      'InvoiceLineRet',
      includeLines
        ? r.lines.map((line) =>
            defined([
              ['TxnLineID', line.TxnLineID],
              ['ItemRef', ref(line.ItemRef)],
              ['Desc', line.Desc],
              ['Quantity', line.Quantity === undefined ? undefined : String(line.Quantity)],
              ['Rate', line.Rate === undefined ? undefined : money(line.Rate)],
              ['Amount', money(line.Amount)],
            ]),
          )
        : undefined,
    ],
  ]);
}

export function paymentRet(file: CompanyFile, r: PaymentRecord): Record<string, unknown> {
  return defined([
    ...txnHead(r),
    ['TotalAmount', money(r.TotalAmount)],
    ['PaymentMethodRef', ref(r.PaymentMethodRef)],
    ['Memo', r.Memo],
    ['DepositToAccountRef', ref(r.DepositToAccountRef)],
    ['UnusedPayment', money(unusedPayment(r))],
    ['UnusedCredits', '0.00'],
    [
      'AppliedToTxnRet',
      r.applied.map((app) => {
        const invoice = file.invoices.get(app.TxnID);
        return defined([
          ['TxnID', app.TxnID],
          ['TxnType', 'Invoice'],
          ['TxnDate', invoice?.TxnDate],
          ['RefNumber', invoice?.RefNumber],
          ['BalanceRemaining', invoice ? money(balanceRemaining(file, invoice)) : undefined],
          ['Amount', money(app.Amount)],
        ]);
      }),
    ],
  ]);
}
