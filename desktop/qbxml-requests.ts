import type { FindCriteria, LedgerEntity } from '../sync/ledger';
import { qbxmlRequest, type QbxmlTree } from './qbxml';

/**
 * The canonical records the sync steps build (QuickBooks Online's field names) as qbXML 13.0 requests.
 * Element order follows the qbXML schema (QuickBooks refuses another order with 3290); fields qbXML has
 * no place for are left out. The reverse direction is qbxml-records.ts.
 */

type Body = Record<string, any>;

const ref = (r: { value?: string } | undefined): QbxmlTree | undefined =>
  r?.value ? { ListID: String(r.value) } : undefined;
/** QuickBooks Online's built-in TAX/NON codes are Desktop's "Tax"/"Non" sales tax codes. */
const taxCode = (r: { value?: string } | undefined): QbxmlTree | undefined => {
  if (!r?.value) return undefined;
  if (r.value === 'TAX') return { FullName: 'Tax' };
  if (r.value === 'NON') return { FullName: 'Non' };
  return { ListID: r.value };
};
const active = (v: unknown) => (v === undefined ? undefined : v !== false);
const money = (n: unknown) => (n === undefined || n === null ? undefined : Number(n).toFixed(2));

function address(a: Body | undefined): QbxmlTree | undefined {
  if (!a) return undefined;
  return {
    Addr1: a.Line1,
    Addr2: a.Line2,
    City: a.City,
    State: a.CountrySubDivisionCode,
    PostalCode: a.PostalCode,
    Country: a.Country,
  };
}

function customer(b: Body): QbxmlTree {
  return {
    Name: b.DisplayName,
    IsActive: active(b.Active),
    CompanyName: b.CompanyName,
    FirstName: b.GivenName,
    LastName: b.FamilyName,
    BillAddress: address(b.BillAddr),
    Phone: b.PrimaryPhone?.FreeFormNumber,
    Email: b.PrimaryEmailAddr?.Address,
  };
}

/** The Desktop item kind of a canonical item type. */
export function itemKind(type: unknown): 'ItemService' | 'ItemNonInventory' | 'ItemInventory' {
  if (type === 'Inventory') return 'ItemInventory';
  if (type === 'NonInventory') return 'ItemNonInventory';
  return 'ItemService';
}

function item(b: Body, mod: boolean): QbxmlTree {
  const head = { Name: b.Name, IsActive: active(b.Active) };
  if (itemKind(b.Type) === 'ItemInventory') {
    return {
      ...head,
      ManufacturerPartNumber: b.Sku,
      SalesDesc: b.Description,
      SalesPrice: money(b.UnitPrice),
      IncomeAccountRef: ref(b.IncomeAccountRef),
      COGSAccountRef: ref(b.ExpenseAccountRef),
      AssetAccountRef: ref(b.AssetAccountRef),
      ...(mod ? {} : { QuantityOnHand: b.QtyOnHand, InventoryDate: b.InvStartDate }),
    };
  }
  const detail = { Desc: b.Description, Price: money(b.UnitPrice), AccountRef: ref(b.IncomeAccountRef) };
  return { ...head, [mod ? 'SalesOrPurchaseMod' : 'SalesOrPurchase']: detail };
}

function invoiceLines(lines: Body[] | undefined, mod: boolean): QbxmlTree[] | undefined {
  if (!lines) return undefined;
  return lines
    .filter((l) => l.DetailType === 'SalesItemLineDetail')
    .map((l) => ({
      // On a Mod, -1 adds a line; naming any line replaces the stored set, so every line is sent as new.
      ...(mod ? { TxnLineID: '-1' } : {}),
      ItemRef: ref(l.SalesItemLineDetail?.ItemRef),
      Desc: l.Description,
      Quantity: l.SalesItemLineDetail?.Qty,
      Rate: l.SalesItemLineDetail?.UnitPrice,
      Amount: money(l.Amount),
      SalesTaxCodeRef: taxCode(l.SalesItemLineDetail?.TaxCodeRef),
    }));
}

function invoice(b: Body, mod: boolean): QbxmlTree {
  return {
    CustomerRef: ref(b.CustomerRef),
    TxnDate: b.TxnDate,
    RefNumber: b.DocNumber,
    DueDate: b.DueDate,
    Memo: b.PrivateNote,
    [mod ? 'InvoiceLineMod' : 'InvoiceLineAdd']: invoiceLines(b.Line, mod),
  };
}

function payment(b: Body, mod: boolean): QbxmlTree {
  const applied = ((b.Line ?? []) as Body[]).flatMap((l) =>
    ((l.LinkedTxn ?? []) as Body[])
      .filter((t) => t.TxnType === 'Invoice')
      .map((t) => ({ TxnID: String(t.TxnId), PaymentAmount: money(l.Amount) })),
  );
  return {
    CustomerRef: ref(b.CustomerRef),
    TxnDate: b.TxnDate,
    RefNumber: b.PaymentRefNum,
    TotalAmount: money(b.TotalAmt),
    Memo: b.PrivateNote,
    DepositToAccountRef: ref(b.DepositToAccountRef),
    // IsAutoApply or the applications, never both.
    ...(b.Line === undefined ? {} : { [mod ? 'AppliedToTxnMod' : 'AppliedToTxnAdd']: applied }),
  };
}

/** The Add request for a canonical record. Throws Error for an entity Desktop sync does not write. */
export function addRequest(entity: LedgerEntity, body: Body, requestId: string): string {
  const attrs = { requestID: requestId };
  switch (entity) {
    case 'Customer':
      return qbxmlRequest('CustomerAddRq', { CustomerAdd: customer(body) }, attrs);
    case 'Item': {
      const kind = itemKind(body.Type);
      return qbxmlRequest(`${kind}AddRq`, { [`${kind}Add`]: item(body, false) }, attrs);
    }
    case 'Invoice':
      return qbxmlRequest('InvoiceAddRq', { InvoiceAdd: invoice(body, false) }, attrs);
    case 'Payment':
      return qbxmlRequest('ReceivePaymentAddRq', { ReceivePaymentAdd: payment(body, false) }, attrs);
    default:
      throw new Error(`QuickBooks Desktop sync does not create ${entity}`);
  }
}

/**
 * The Mod request: the record's ListID/TxnID and EditSequence (our SyncToken), then only the given fields
 * (a sparse update). `itemType`: the stored item's type, which names the Mod.
 */
export function modRequest(entity: LedgerEntity, body: Body, requestId: string, itemType?: unknown): string {
  const attrs = { requestID: requestId };
  const list = { ListID: body.Id, EditSequence: body.SyncToken };
  const txn = { TxnID: body.Id, EditSequence: body.SyncToken };
  switch (entity) {
    case 'Customer':
      return qbxmlRequest('CustomerModRq', { CustomerMod: { ...list, ...customer(body) } }, attrs);
    case 'Item': {
      const kind = itemKind(body.Type ?? itemType);
      return qbxmlRequest(
        `${kind}ModRq`,
        { [`${kind}Mod`]: { ...list, ...item({ ...body, Type: body.Type ?? itemType }, true) } },
        attrs,
      );
    }
    case 'Invoice':
      return qbxmlRequest('InvoiceModRq', { InvoiceMod: { ...txn, ...invoice(body, true) } }, attrs);
    case 'Payment':
      return qbxmlRequest(
        'ReceivePaymentModRq',
        { ReceivePaymentMod: { ...txn, ...payment(body, true) } },
        attrs,
      );
    default:
      throw new Error(`QuickBooks Desktop sync does not update ${entity}`);
  }
}

/** TxnVoidRq for an invoice or a received payment. */
export function voidRequest(entity: 'Invoice' | 'Payment', txnId: string, requestId: string): string {
  const type = entity === 'Invoice' ? 'Invoice' : 'ReceivePayment';
  return qbxmlRequest('TxnVoidRq', { TxnVoidType: type, TxnID: txnId }, { requestID: requestId });
}

const queryName: Record<string, string> = {
  Customer: 'CustomerQueryRq',
  Item: 'ItemQueryRq',
  Invoice: 'InvoiceQueryRq',
  Payment: 'ReceivePaymentQueryRq',
  Account: 'AccountQueryRq',
};

/** A query by id: ListID for lists, TxnID for transactions. */
export function readRequest(entity: LedgerEntity, id: string): string {
  if (entity === 'CompanyInfo') return qbxmlRequest('CompanyQueryRq', {}, { requestID: '1' });
  const txn = entity === 'Invoice' || entity === 'Payment';
  const name = queryName[entity];
  if (!name) throw new Error(`QuickBooks Desktop sync does not read ${entity}`);
  const body: QbxmlTree = txn
    ? {
        TxnID: id,
        IncludeLineItems: entity === 'Invoice' ? true : undefined,
        IncludeLinkedTxns: entity === 'Invoice' ? true : undefined,
      }
    : { ListID: id };
  if (entity === 'Payment') body.IncludeLineItems = true;
  return qbxmlRequest(name, body, { requestID: '1' });
}

const activeStatus = { active: 'ActiveOnly', inactive: 'InactiveOnly', any: 'All' } as const;

/**
 * The query for `criteria`, as narrow as qbXML's filters allow: exact names by FullName, "contains" by
 * NameFilter, a customer by EntityFilter, dates by TxnDateRangeFilter, a number by RefNumber. The caller
 * still applies every criterion to what comes back (qbXML's filters are coarser than ours).
 */
export function findRequest(entity: LedgerEntity, criteria: FindCriteria = {}): string {
  const name = queryName[entity];
  if (!name) throw new Error(`QuickBooks Desktop sync does not query ${entity}`);
  const where = criteria.where ?? [];
  const value = (field: string, op = '=') => where.find((c) => c.field === field && c.op === op)?.value;
  if (entity === 'Invoice' || entity === 'Payment') {
    const number = value(entity === 'Invoice' ? 'DocNumber' : 'PaymentRefNum');
    const lines = { IncludeLineItems: true, IncludeLinkedTxns: entity === 'Invoice' ? true : undefined };
    if (number) return qbxmlRequest(name, { RefNumber: number, ...lines }, { requestID: '1' });
    const from = value('TxnDate') ?? value('TxnDate', '>=');
    const to = value('TxnDate') ?? value('TxnDate', '<=');
    const customer = value('CustomerRef');
    return qbxmlRequest(
      name,
      {
        TxnDateRangeFilter: from || to ? { FromTxnDate: from, ToTxnDate: to } : undefined,
        EntityFilter: customer ? { ListID: customer } : undefined,
        ...lines,
      },
      { requestID: '1' },
    );
  }
  const nameField = entity === 'Customer' ? 'DisplayName' : 'Name';
  const exact = value(nameField);
  if (exact) return qbxmlRequest(name, { FullName: exact }, { requestID: '1' });
  const contains = value(nameField, 'contains');
  return qbxmlRequest(
    name,
    {
      ActiveStatus: activeStatus[criteria.active ?? 'active'],
      NameFilter: contains ? { MatchCriterion: 'Contains', Name: contains } : undefined,
    },
    { requestID: '1' },
  );
}

export const preferencesRequest = (): string => qbxmlRequest('PreferencesQueryRq', {}, { requestID: '1' });
