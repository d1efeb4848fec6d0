import type { ErrorPattern } from '../workflows/contract';

/**
 * Plain-words advice for each failure pattern, drawn from the fixes bookkeepers and integrators apply
 * (see /work/shared/seeds). Shown to a person next to the error; never holds data from the request.
 */
export const hints: Record<ErrorPattern, string> = {
  duplicate_name:
    'QuickBooks already has a customer, vendor or employee with this name. If it is the same customer, link it ' +
    '(Resolve → link to the existing QuickBooks id); otherwise rename it in the source app, then retry.',
  duplicate_doc_number:
    'QuickBooks already has a transaction with this invoice number that qbo-sync did not create. Open the ' +
    'transaction named in the detail (TxnId): if it is this invoice, link it (Resolve → link); otherwise give the ' +
    'invoice a different number in the source app (or let QuickBooks number invoices), then retry.',
  inactive_or_missing_reference:
    'Something this record uses (a customer, item or account) has been made inactive or deleted in QuickBooks. ' +
    'Reactivate it in QuickBooks (Customers or Products and services → include inactive → make active), or allow ' +
    'qbo-sync to reactivate it (company policy), then retry.',
  closed_period:
    'The books are closed through the closing date in QuickBooks, and this transaction is dated on or before it. ' +
    'Reopen the period (Account and Settings → Advanced → Accounting → Close the books), re-date the invoice into ' +
    'the open period, or enter it by hand in QuickBooks and mark it entered. Talk to your bookkeeper first.',
  invalid_field:
    'QuickBooks rejected a field value (the detail names it): a required value is missing, text is too long, or a ' +
    'name contains a colon, tab or line break. Correct it in the source app, then retry.',
  tax_mismatch:
    "The invoice's tax doesn't match what QuickBooks expects. Check the tax category mapping: every tax category " +
    'in the source app needs a matching QuickBooks tax code (non-US companies need one on every line), then retry.',
  account_mapping:
    'QuickBooks needs an account this record does not have, or the account has the wrong type. Map an income ' +
    'account (and for inventory items, Inventory Asset and Cost of Goods Sold accounts) for this company, or create ' +
    'the account in the QuickBooks chart of accounts, then retry.',
  auth_expired:
    "qbo-sync's permission to use this QuickBooks company has expired or was revoked. Reconnect: open the " +
    'connection, click Reconnect and sign in to QuickBooks again. Syncing resumes on its own.',
  auth_forbidden:
    'QuickBooks refused access: the user who connected may have lost admin rights, or the connection lacks the ' +
    'accounting permission. Ask a QuickBooks admin to reconnect the company.',
  throttled: 'QuickBooks asked us to slow down. qbo-sync waits and retries automatically; nothing to do.',
  transient_server:
    'QuickBooks was temporarily unavailable. qbo-sync retries automatically; if it keeps failing for more than a ' +
    'day, contact support.',
  stale_object:
    'Someone changed this record in QuickBooks at the same time. qbo-sync re-reads it and applies the change again; ' +
    'if it keeps happening, retry.',
  company_status:
    "The QuickBooks subscription for this company has ended or has a billing problem, so QuickBooks won't accept " +
    'new data. Fix the subscription in QuickBooks, then retry.',
  changed_in_quickbooks:
    'Someone deleted or voided this record in QuickBooks after qbo-sync synced it, and the source app has sent ' +
    'a newer version. qbo-sync will not create a second copy on its own. Choose: re-create it in QuickBooks, ' +
    "overwrite QuickBooks with the source app's version, or accept QuickBooks' version (mark it entered by hand).",
  other:
    'QuickBooks rejected this record for a reason qbo-sync does not recognise. Read the message and detail; if ' +
    'you cannot tell what to fix, send them (with the Intuit transaction id) to support.',
};

/** The closed-period hint naming the closing date when it is known (from Preferences.BookCloseDate). */
export function closedPeriodHint(bookCloseDate?: string): string {
  if (!bookCloseDate) return hints.closed_period;
  return hints.closed_period.replace('through the closing date', `through ${bookCloseDate}`);
}
