import { desktopTimestamp } from '../desktop-clock';
import { newListId, nextEditSequence } from './ids';
import type { AccountRecord, CompanyFile, PaymentMethodRecord } from './records';

/** The accounts every new company file starts with (the EasyStep interview's defaults for a service business). */
const SEED_ACCOUNTS: [string, string][] = [
  ['Checking', 'Bank'],
  ['Accounts Receivable', 'AccountsReceivable'],
  ['Undeposited Funds', 'OtherCurrentAsset'],
  ['Services', 'Income'],
  ['Sales', 'Income'],
];
const SEED_PAYMENT_METHODS = ['Cash', 'Check', 'Visa', 'MasterCard', 'American Express'];

/** Creates an empty company file with its seed accounts and payment methods. */
export function createCompanyFile(companyId: string, name: string, nowMs: number, closingDate?: string) {
  const file: CompanyFile = {
    companyId,
    name,
    filePath: `C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\${name.replace(/[\\/:*?"<>|]/g, '_')}.QBW`,
    closingDate,
    names: new Map(),
    accounts: new Map(),
    paymentMethods: new Map(),
    items: new Map(),
    invoices: new Map(),
    payments: new Map(),
    counters: { list: 0x80000000, txn: 0x100, txnNumber: 0, lastEditSequence: 0 },
  };
  const stamp = () => {
    const at = desktopTimestamp(nowMs);
    return {
      ListID: newListId(file, nowMs),
      TimeCreated: at,
      TimeModified: at,
      EditSequence: nextEditSequence(file, nowMs),
      IsActive: true,
    };
  };
  for (const [accountName, AccountType] of SEED_ACCOUNTS) {
    const account: AccountRecord = { ...stamp(), kind: 'Account', Name: accountName, AccountType };
    file.accounts.set(account.ListID, account);
  }
  for (const methodName of SEED_PAYMENT_METHODS) {
    const method: PaymentMethodRecord = { ...stamp(), kind: 'PaymentMethod', Name: methodName };
    file.paymentMethods.set(method.ListID, method);
  }
  return file;
}

/** Marks a record changed: a new EditSequence and TimeModified (every save in Desktop does this). */
export function touch(
  file: CompanyFile,
  record: { EditSequence: string; TimeModified: string },
  nowMs: number,
): void {
  record.EditSequence = nextEditSequence(file, nowMs);
  record.TimeModified = desktopTimestamp(nowMs);
}
