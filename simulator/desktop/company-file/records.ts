/** A reference as qbXML writes it: `<CustomerRef><ListID>…</ListID><FullName>…</FullName></CustomerRef>`. */
export interface Ref {
  ListID: string;
  FullName: string;
}

/** The list kinds a company file keeps. Customers, vendors, employees and other names share one name space. */
export type NameKind = 'Customer' | 'Vendor' | 'Employee' | 'OtherName';
export type ItemKind = 'ItemService' | 'ItemNonInventory';

interface ListBase {
  ListID: string;
  TimeCreated: string;
  TimeModified: string;
  EditSequence: string;
  Name: string;
  IsActive: boolean;
}

/** A customer, vendor, employee or other name. Only customers carry the contact fields and a balance. */
export interface NameRecord extends ListBase {
  kind: NameKind;
  CompanyName?: string;
  FirstName?: string;
  LastName?: string;
  Phone?: string;
  Email?: string;
  BillAddress?: Record<string, string>;
}

export interface AccountRecord extends ListBase {
  kind: 'Account';
  AccountType: string;
}

export interface PaymentMethodRecord extends ListBase {
  kind: 'PaymentMethod';
}

export interface ItemRecord extends ListBase {
  kind: ItemKind;
  Desc?: string;
  Price?: number;
  AccountRef: Ref;
}

export interface InvoiceLine {
  TxnLineID: string;
  ItemRef?: Ref;
  Desc?: string;
  Quantity?: number;
  Rate?: number;
  Amount: number;
}

interface TxnBase {
  TxnID: string;
  TimeCreated: string;
  TimeModified: string;
  EditSequence: string;
  TxnNumber: number;
  CustomerRef: Ref;
  ARAccountRef: Ref;
  TxnDate: string;
  RefNumber?: string;
  Memo?: string;
}

export interface InvoiceRecord extends TxnBase {
  kind: 'Invoice';
  DueDate?: string;
  lines: InvoiceLine[];
}

export interface PaymentApplication {
  TxnID: string;
  Amount: number;
}

export interface PaymentRecord extends TxnBase {
  kind: 'ReceivePayment';
  TotalAmount: number;
  PaymentMethodRef?: Ref;
  DepositToAccountRef: Ref;
  applied: PaymentApplication[];
}

/** One simulated QuickBooks Desktop company file (a `.QBW`). */
export interface CompanyFile {
  companyId: string;
  name: string;
  filePath: string;
  /** Transactions dated on or before it are refused (Company > Set Closing Date). */
  closingDate?: string;
  names: Map<string, NameRecord>;
  accounts: Map<string, AccountRecord>;
  paymentMethods: Map<string, PaymentMethodRecord>;
  items: Map<string, ItemRecord>;
  invoices: Map<string, InvoiceRecord>;
  payments: Map<string, PaymentRecord>;
  counters: { list: number; txn: number; txnNumber: number; lastEditSequence: number };
}

/** Amounts the way qbXML writes them: two decimals, no grouping. */
export function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Rounds to cents, the precision QuickBooks keeps amounts in. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
