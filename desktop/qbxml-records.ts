import type { LedgerRecord } from '../sync/ledger';

/**
 * qbXML `…Ret` records in the canonical shape the sync steps read (QuickBooks Online's field names):
 * ListID/TxnID → Id, EditSequence → SyncToken, Name → DisplayName, RefNumber → DocNumber, Memo →
 * PrivateNote, lines and applications as Line. The reverse of qbxml-requests.ts.
 */

type Ret = Record<string, any>;

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
const refOf = (r: Ret | undefined) =>
  r?.ListID ? { value: String(r.ListID), name: text(r.FullName) } : undefined;
const taxRefOf = (r: Ret | undefined) => {
  if (!r) return undefined;
  const name = String(r.FullName ?? '').toLowerCase();
  if (name === 'tax') return { value: 'TAX' };
  if (name === 'non') return { value: 'NON' };
  return r.ListID ? { value: String(r.ListID) } : undefined;
};
const list = (v: unknown): Ret[] => (Array.isArray(v) ? v : v ? [v] : []);

/** Desktop voids a transaction by zeroing it and writing "VOID:" at the start of its memo. */
function memoOf(r: Ret): string | undefined {
  const memo = text(r.Memo);
  return memo && /^VOID:/.test(memo) ? `Voided ${memo}` : memo;
}

function base(id: unknown, r: Ret): { Id: string; SyncToken: string } {
  return { Id: String(id ?? ''), SyncToken: String(r.EditSequence ?? '') };
}

function customer(r: Ret): LedgerRecord {
  const a = r.BillAddress as Ret | undefined;
  return {
    ...base(r.ListID, r),
    DisplayName: text(r.Name),
    FullyQualifiedName: text(r.FullName),
    Active: r.IsActive !== 'false',
    CompanyName: text(r.CompanyName),
    GivenName: text(r.FirstName),
    FamilyName: text(r.LastName),
    PrimaryEmailAddr: r.Email ? { Address: String(r.Email) } : undefined,
    PrimaryPhone: r.Phone ? { FreeFormNumber: String(r.Phone) } : undefined,
    BillAddr: a
      ? {
          Line1: text(a.Addr1),
          Line2: text(a.Addr2),
          City: text(a.City),
          CountrySubDivisionCode: text(a.State),
          PostalCode: text(a.PostalCode),
          Country: text(a.Country),
        }
      : undefined,
    Balance: num(r.Balance),
    BalanceWithJobs: num(r.TotalBalance),
  };
}

const itemTypes: Record<string, string> = {
  ItemServiceRet: 'Service',
  ItemNonInventoryRet: 'NonInventory',
  ItemInventoryRet: 'Inventory',
};

function item(type: string, r: Ret): LedgerRecord {
  const detail = (r.SalesOrPurchase ?? r.SalesAndPurchase ?? {}) as Ret;
  return {
    ...base(r.ListID, r),
    Name: text(r.Name),
    FullyQualifiedName: text(r.FullName),
    Type: itemTypes[type] ?? type.replace(/^Item|Ret$/g, ''),
    Active: r.IsActive !== 'false',
    Sku: text(r.ManufacturerPartNumber),
    Description: text(r.SalesDesc ?? detail.Desc ?? detail.SalesDesc),
    UnitPrice: num(r.SalesPrice ?? detail.Price ?? detail.SalesPrice),
    IncomeAccountRef: refOf(r.IncomeAccountRef ?? detail.AccountRef ?? detail.IncomeAccountRef),
    ExpenseAccountRef: refOf(r.COGSAccountRef),
    AssetAccountRef: refOf(r.AssetAccountRef),
    QtyOnHand: num(r.QuantityOnHand),
  };
}

function invoice(r: Ret): LedgerRecord {
  const subtotal = num(r.Subtotal) ?? 0;
  const tax = num(r.SalesTaxTotal) ?? 0;
  return {
    ...base(r.TxnID, r),
    CustomerRef: refOf(r.CustomerRef),
    TxnDate: text(r.TxnDate),
    DueDate: text(r.DueDate),
    DocNumber: text(r.RefNumber),
    PrivateNote: memoOf(r),
    TotalAmt: Math.round((subtotal + tax) * 100) / 100,
    Balance: num(r.BalanceRemaining),
    Line: list(r.InvoiceLineRet).map((l) => ({
      Id: text(l.TxnLineID),
      DetailType: 'SalesItemLineDetail',
      Amount: num(l.Amount),
      Description: text(l.Desc),
      SalesItemLineDetail: {
        ItemRef: refOf(l.ItemRef),
        Qty: num(l.Quantity),
        UnitPrice: num(l.Rate),
        TaxCodeRef: taxRefOf(l.SalesTaxCodeRef),
      },
    })),
    LinkedTxn: list(r.LinkedTxn).map((t) => ({ TxnId: text(t.TxnID), TxnType: text(t.TxnType) })),
  };
}

function payment(r: Ret): LedgerRecord {
  return {
    ...base(r.TxnID, r),
    CustomerRef: refOf(r.CustomerRef),
    TxnDate: text(r.TxnDate),
    PaymentRefNum: text(r.RefNumber),
    TotalAmt: num(r.TotalAmount),
    PrivateNote: memoOf(r),
    DepositToAccountRef: refOf(r.DepositToAccountRef),
    UnappliedAmt: num(r.UnusedPayment),
    Line: list(r.AppliedToTxnRet).map((t) => ({
      Amount: num(t.Amount),
      LinkedTxn: [{ TxnId: String(t.TxnID), TxnType: text(t.TxnType) ?? 'Invoice' }],
    })),
  };
}

/** Desktop account types as QuickBooks Online spells them (what item-accounts.ts looks for). */
const accountTypes: Record<string, string> = {
  Income: 'Income',
  CostOfGoodsSold: 'Cost of Goods Sold',
  OtherCurrentAsset: 'Other Current Asset',
  Bank: 'Bank',
  Expense: 'Expense',
  AccountsReceivable: 'Accounts Receivable',
};

function account(r: Ret): LedgerRecord {
  const type = String(r.AccountType ?? '');
  return {
    ...base(r.ListID, r),
    Name: text(r.Name),
    FullyQualifiedName: text(r.FullName),
    Active: r.IsActive !== 'false',
    AccountType: accountTypes[type] ?? type,
    AccountSubType:
      type === 'OtherCurrentAsset' && /inventory/i.test(String(r.Name)) ? 'Inventory' : undefined,
  };
}

function company(r: Ret): LedgerRecord {
  const a = (r.Address ?? r.LegalAddress ?? {}) as Ret;
  return {
    Id: 'company',
    SyncToken: '',
    CompanyName: text(r.CompanyName),
    Country: text(a.Country) ?? null,
    CompanyAddr: { Country: text(a.Country) },
  };
}

/** One `…Ret` element as a canonical record; undefined for an element we do not read. */
export function canonicalRecord(type: string, r: Ret): LedgerRecord | undefined {
  if (type === 'CustomerRet') return customer(r);
  if (type in itemTypes) return item(type, r);
  if (type === 'InvoiceRet') return invoice(r);
  if (type === 'ReceivePaymentRet') return payment(r);
  if (type === 'AccountRet') return account(r);
  if (type === 'CompanyRet') return company(r);
  return undefined;
}

/** PreferencesRet as canonical preferences: the closing date is QuickBooks Online's BookCloseDate. */
export function canonicalPreferences(r: Ret | undefined): Record<string, unknown> {
  const closing = text((r?.AccountingPreferences as Ret | undefined)?.ClosingDate);
  return { AccountingInfoPrefs: closing ? { BookCloseDate: closing } : {} };
}
