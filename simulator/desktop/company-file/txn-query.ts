import type { HandlerResult } from './handler';
import { modifiedBound } from './list-query';
import { child, many, QbxmlParseError, text, type Element } from './qbxml-request';
import { parseDate } from './qbxml-values';
import type { InvoiceRecord, PaymentRecord } from './records';
import { elementNotFound, NO_MATCH, objectNotFound, STATUS_OK } from './status';

type Txn = InvoiceRecord | PaymentRecord;

const texts = (values: (string | Element)[]) =>
  values.map((v) => {
    if (typeof v !== 'string') throw new QbxmlParseError('TxnID/RefNumber must be text');
    return v;
  });

/**
 * A transaction query: `TxnID`s (unknown → 3120), `RefNumber`s (unknown → 500 warning), or filters:
 * `MaxReturned`, `ModifiedDateRangeFilter`, `TxnDateRangeFilter`, `EntityFilter` (ListID or FullName),
 * `RefNumberFilter`, and for invoices `PaidStatus`. No match → status 1.
 */
export function runTxnQuery<T extends Txn>(
  body: Element,
  records: T[],
  toRet: (r: T) => { tag: string; value: Record<string, unknown> },
  isPaid?: (r: T) => boolean,
): HandlerResult {
  const txnIds = texts(many(body.TxnID));
  const refNumbers = texts(many(body.RefNumber));
  if (txnIds.length > 0) {
    const found = txnIds.map((id) => records.find((r) => r.TxnID === id));
    const missing = txnIds.find((_, i) => !found[i]);
    if (missing !== undefined) return { status: objectNotFound(missing), rets: [] };
    return { status: STATUS_OK, rets: (found as T[]).map(toRet) };
  }
  if (refNumbers.length > 0) {
    const found = refNumbers.flatMap((n) => records.filter((r) => r.RefNumber === n));
    const missing = refNumbers.find((n) => !records.some((r) => r.RefNumber === n));
    return { status: missing !== undefined ? elementNotFound(missing) : STATUS_OK, rets: found.map(toRet) };
  }
  const modified = child(body, 'ModifiedDateRangeFilter');
  const fromModified = modified && text(modified, 'FromModifiedDate');
  const toModified = modified && text(modified, 'ToModifiedDate');
  const dates = child(body, 'TxnDateRangeFilter');
  const fromDate = dates && parseDate(text(dates, 'FromTxnDate'), 'FromTxnDate');
  const toDate = dates && parseDate(text(dates, 'ToTxnDate'), 'ToTxnDate');
  const entity = child(body, 'EntityFilter');
  const entityId = entity && text(entity, 'ListID');
  const entityName = entity && text(entity, 'FullName')?.toLowerCase();
  const refFilter = child(body, 'RefNumberFilter');
  const criterion = refFilter && text(refFilter, 'MatchCriterion');
  const wantedRef = (refFilter && text(refFilter, 'RefNumber')) ?? '';
  const paid = text(body, 'PaidStatus') ?? 'All';
  const max = Number(text(body, 'MaxReturned') ?? Infinity);
  const matches = records.filter((r) => {
    if (fromModified && Date.parse(r.TimeModified) < Date.parse(modifiedBound(fromModified))) return false;
    if (toModified && Date.parse(r.TimeModified) > Date.parse(modifiedBound(toModified))) return false;
    if (fromDate && r.TxnDate < fromDate) return false;
    if (toDate && r.TxnDate > toDate) return false;
    if (entityId && r.CustomerRef.ListID !== entityId) return false;
    if (entityName && r.CustomerRef.FullName.toLowerCase() !== entityName) return false;
    const ref = r.RefNumber ?? '';
    if (criterion === 'StartsWith' && !ref.startsWith(wantedRef)) return false;
    if (criterion === 'Contains' && !ref.includes(wantedRef)) return false;
    if (criterion === 'EndsWith' && !ref.endsWith(wantedRef)) return false;
    if (isPaid && paid === 'PaidOnly' && !isPaid(r)) return false;
    if (isPaid && paid === 'NotPaidOnly' && isPaid(r)) return false;
    return true;
  });
  const rets = matches.slice(0, max).map(toRet);
  return { status: rets.length ? STATUS_OK : NO_MATCH, rets };
}
