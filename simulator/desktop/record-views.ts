import { accountRet, invoiceRet, itemRet, nameRet, paymentRet } from './company-file/rets';
import type { CompanyFile, NameKind } from './company-file/records';
import type { RecordKind } from './control-schemas';

/** The name-list kind behind each name route segment. */
export const NAME_KINDS: Partial<Record<RecordKind, NameKind>> = {
  customers: 'Customer',
  vendors: 'Vendor',
  employees: 'Employee',
  'other-names': 'OtherName',
};

/** Every record of a kind, as the qbXML `…Ret` objects (inactive ones included). */
export function recordsOf(file: CompanyFile, kind: RecordKind): Record<string, unknown>[] {
  const nameKind = NAME_KINDS[kind];
  if (nameKind)
    return [...file.names.values()].filter((n) => n.kind === nameKind).map((n) => nameRet(file, n));
  switch (kind) {
    case 'accounts':
      return [...file.accounts.values()].map(accountRet);
    case 'items':
      return [...file.items.values()].map((i) => ({ Type: i.kind, ...itemRet(i) }));
    case 'invoices':
      return [...file.invoices.values()].map((i) => invoiceRet(file, i));
    case 'payments':
      return [...file.payments.values()].map((p) => paymentRet(file, p));
    default:
      return [];
  }
}

/** Counts for the company summary. */
export function recordCounts(file: CompanyFile): Record<string, number> {
  const count = (kind: NameKind) => [...file.names.values()].filter((n) => n.kind === kind).length;
  return {
    customers: count('Customer'),
    vendors: count('Vendor'),
    employees: count('Employee'),
    otherNames: count('OtherName'),
    items: file.items.size,
    invoices: file.invoices.size,
    payments: file.payments.size,
  };
}
