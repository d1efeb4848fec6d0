/**
 * What each failure pattern means for the sync: whether a retry can fix it on its own, whether the sync
 * pauses until a person signals (and for which reason), and the advice shown to that person. The one home
 * of these facts: the workflow (retry options, pauses), the QuickBooks client (classified faults) and the
 * admin pages all read this table.
 *
 * Pure data with type-only imports, so the workflow bundle and the domain modules may both import it.
 * The hints are drawn from the fixes bookkeepers and integrators apply (see the founding documents in
 * ../shared/seeds); they never hold data from the request.
 */
import type { ErrorPattern, PauseReason } from './contract';

export interface PatternPolicy {
  /** A retry (by Temporal, or the workflow's outage timer) can fix it without a person. */
  retryable: boolean;
  /** The sync pauses until a person's signal; null: it waits with a diagnosis for a retry or a resolve. */
  pause: PauseReason | null;
  /** Plain-words advice for a person. */
  hint: string;
}

export const patternPolicy: Readonly<Record<ErrorPattern, PatternPolicy>> = {
  duplicate_name: {
    retryable: false,
    pause: null,
    hint:
      'QuickBooks already has a customer, vendor or employee with this name. If it is the same customer, link it ' +
      '(Resolve → link to the existing QuickBooks id); otherwise rename it in the source app, then retry.',
  },
  duplicate_doc_number: {
    retryable: false,
    pause: null,
    hint:
      'QuickBooks already has a transaction with this invoice number that qbo-sync did not create. Open the ' +
      'transaction named in the detail (TxnId): if it is this invoice, link it (Resolve → link); otherwise give the ' +
      'invoice a different number in the source app (or let QuickBooks number invoices), then retry.',
  },
  inactive_or_missing_reference: {
    retryable: false,
    pause: null,
    hint:
      'Something this record uses (a customer, item or account) has been made inactive or deleted in QuickBooks. ' +
      'Reactivate it in QuickBooks (Customers or Products and services → include inactive → make active), or allow ' +
      'qbo-sync to reactivate it (company policy), then retry.',
  },
  closed_period: {
    retryable: false,
    pause: 'closed_period',
    hint:
      'The books are closed through the closing date in QuickBooks, and this transaction is dated on or before it. ' +
      'Reopen the period (Account and Settings → Advanced → Accounting → Close the books), re-date the invoice into ' +
      'the open period, or enter it by hand in QuickBooks and mark it entered. Talk to your bookkeeper first.',
  },
  invalid_field: {
    retryable: false,
    pause: null,
    hint:
      'QuickBooks rejected a field value (the detail names it): a required value is missing, text is too long, or a ' +
      'name contains a colon, tab or line break. Correct it in the source app, then retry.',
  },
  tax_mismatch: {
    retryable: false,
    pause: null,
    hint:
      "The invoice's tax doesn't match what QuickBooks expects. Check the tax category mapping: every tax category " +
      'in the source app needs a matching QuickBooks tax code (non-US companies need one on every line), then retry.',
  },
  account_mapping: {
    retryable: false,
    pause: null,
    hint:
      'QuickBooks needs an account this record does not have, or the account has the wrong type. Map an income ' +
      'account (and for inventory items, Inventory Asset and Cost of Goods Sold accounts) for this company, or create ' +
      'the account in the QuickBooks chart of accounts, then retry.',
  },
  auth_expired: {
    retryable: false,
    pause: 'auth',
    hint:
      "qbo-sync's permission to use this QuickBooks company has expired or was revoked. Reconnect: open the " +
      'connection, click Reconnect and sign in to QuickBooks again. Syncing resumes on its own.',
  },
  auth_forbidden: {
    retryable: false,
    pause: 'auth',
    hint:
      'QuickBooks refused access: the user who connected may have lost admin rights, or the connection lacks the ' +
      'accounting permission. Ask a QuickBooks admin to reconnect the company.',
  },
  throttled: {
    retryable: true,
    pause: null,
    hint: 'QuickBooks asked us to slow down. qbo-sync waits and retries automatically; nothing to do.',
  },
  transient_server: {
    retryable: true,
    pause: null,
    hint:
      'QuickBooks was temporarily unavailable. qbo-sync retries automatically; if it keeps failing for more than a ' +
      'day, contact support.',
  },
  // Not retried by Temporal: the caller fixes it by re-reading the record (SyncToken) and writing again.
  stale_object: {
    retryable: false,
    pause: null,
    hint:
      'Someone changed this record in QuickBooks at the same time. qbo-sync re-reads it and applies the change again; ' +
      'if it keeps happening, retry.',
  },
  company_status: {
    retryable: false,
    pause: null,
    hint:
      "The QuickBooks subscription for this company has ended or has a billing problem, so QuickBooks won't accept " +
      'new data. Fix the subscription in QuickBooks, then retry.',
  },
  changed_in_quickbooks: {
    retryable: false,
    pause: null,
    hint:
      'Someone deleted or voided this record in QuickBooks after qbo-sync synced it, and the source app has sent ' +
      'a newer version. qbo-sync will not create a second copy on its own. Choose: re-create it in QuickBooks, ' +
      "overwrite QuickBooks with the source app's version, or accept QuickBooks' version (mark it entered by hand).",
  },
  connector_offline: {
    retryable: false,
    pause: 'connector_offline',
    hint:
      'This company keeps its books in QuickBooks Desktop, and its Web Connector has not called qbo-sync for a ' +
      'while: the PC may be off, QuickBooks closed, or the Web Connector not running. Check that the Web Connector ' +
      'is running (and set to update this application automatically); the sync resumes on its own when it polls.',
  },
  other: {
    retryable: false,
    pause: null,
    hint:
      'QuickBooks rejected this record for a reason qbo-sync does not recognise. Read the message and detail; if ' +
      'you cannot tell what to fix, send them (with the Intuit transaction id) to support.',
  },
};

/** True when retrying unattended (Temporal's retries, then the outage timer) can fix `pattern`. */
export function isRetryable(pattern: ErrorPattern): boolean {
  return patternPolicy[pattern].retryable;
}

/** The reason a sync pauses on `pattern` until a person signals, or null when it does not pause. */
export function pauseReasonFor(pattern: ErrorPattern): PauseReason | null {
  return patternPolicy[pattern].pause;
}
