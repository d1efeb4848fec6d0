import { getLink, linkedQboIds, markLinked } from '../db/queries/links';
import { getPolicy } from '../db/queries/policies';
import { createAnywayKey, getAction } from '../db/queries/reconciliation-actions';
import type { QboRecord } from '../quickbooks/client';
import { eq } from './ledger';
import { localFault } from '../quickbooks/faults';
import type { PaymentDoc } from '../workflows/contract';
import { isVoided, markerFor } from './markers';
import type { EnsureResult, SyncDeps } from './sync-deps';
import { sourceHash } from './sync-hash';

/** How far apart (days) the source payment's date and another app's record of it may be. */
export const FOREIGN_PAYMENT_WINDOW_DAYS = 3;

export interface ForeignPaymentCheck {
  realmId: string;
  syncId: string;
  invoiceSourceId: string;
  payment: PaymentDoc;
  customerQboId: string;
  invoiceQboId: string;
  /** Exactly the fields ensurePayment sends: a linked record is recorded with their hash. */
  fields: Record<string, unknown>;
}

/**
 * Before qbo-sync creates a payment: is it already in QuickBooks, entered by another integration or a
 * person (same customer and amount, date within the window, same reference number when both have one, not
 * voided, no qbo-sync marker, no link of ours)? Under the company's policy `link` it is linked (linkedBy
 * foreign, hash of our fields, so nothing is written to their record) and returned; under `ask` a
 * needs_attention fault names it and the two decisions; under `create`, or when a person chose "create
 * anyway" for this payment, or when none matches, returns undefined and the caller creates. Throws QboFault.
 */
export async function adoptForeignPayment(
  deps: SyncDeps,
  check: ForeignPaymentCheck,
): Promise<EnsureResult | undefined> {
  const { realmId, payment } = check;
  const key = { realmId, entityType: 'Payment' as const, sourceId: payment.sourceId };
  const link = await getLink(deps.db, key);
  // Only a payment we never sent: a pending create is looked up by its marker by converge.
  if (link && link.status !== 'failed') return undefined;
  const policy = await getPolicy(deps.db, realmId);
  if (policy.onForeignPayment === 'create') return undefined;
  if (await getAction(deps.db, createAnywayKey(realmId, payment.sourceId))) return undefined;

  const found = await findForeignPayments(deps, check);
  if (found.length === 0) return undefined;
  const match = found[0];
  if (policy.onForeignPayment === 'link') {
    await markLinked(deps.db, key, {
      qboId: match.Id,
      syncToken: match.SyncToken,
      sourceHash: sourceHash(check.fields),
      linkedBy: 'foreign',
      parentSourceId: check.invoiceSourceId,
      marker: markerFor(payment.sourceId),
    });
    return { qboId: match.Id, action: 'linked' };
  }
  throw foreignPaymentFault(check, match, found.length);
}

/** Unlinked, unmarked, live payments of the customer that look like this one, best (closest date) first. */
export async function findForeignPayments(deps: SyncDeps, check: ForeignPaymentCheck): Promise<QboRecord[]> {
  const { realmId, payment, customerQboId } = check;
  const from = shiftDate(payment.txnDate, -FOREIGN_PAYMENT_WINDOW_DAYS);
  const to = shiftDate(payment.txnDate, FOREIGN_PAYMENT_WINDOW_DAYS);
  const rows = await deps.ledger.find(realmId, 'Payment', {
    where: [
      eq('CustomerRef', customerQboId),
      { field: 'TxnDate', op: '>=', value: from },
      { field: 'TxnDate', op: '<=', value: to },
    ],
  });
  const candidates = rows.filter(
    (r) =>
      !isVoided(r) &&
      cents(r.TotalAmt) === cents(payment.amount) &&
      !hasAnyMarker(r.PrivateNote) &&
      sameReference(r.PaymentRefNum, payment.reference) &&
      appliedToOrUnapplied(r, check.invoiceQboId),
  );
  const linked = await linkedQboIds(
    deps.db,
    realmId,
    'Payment',
    candidates.map((r) => r.Id),
  );
  return candidates
    .filter((r) => !linked.has(r.Id))
    .sort(
      (a, b) =>
        dayDistance(String(a.TxnDate), payment.txnDate) - dayDistance(String(b.TxnDate), payment.txnDate) ||
        Number(a.Id) - Number(b.Id),
    );
}

/** A PrivateNote carrying any qbo-sync marker (ours, for some source record). */
export function hasAnyMarker(privateNote: unknown): boolean {
  const prefix = markerFor('');
  return typeof privateNote === 'string' && privateNote.split(/\s+/).some((w) => w.startsWith(prefix));
}

/** A payment applied to other invoices only is another payment of the same amount. */
function appliedToOrUnapplied(record: QboRecord, invoiceQboId: string): boolean {
  const lines = (record.Line ?? []) as { LinkedTxn?: { TxnId?: string; TxnType?: string }[] }[];
  const invoices = lines.flatMap((l) => l.LinkedTxn ?? []).filter((t) => t.TxnType === 'Invoice');
  return invoices.length === 0 || invoices.some((t) => String(t.TxnId) === invoiceQboId);
}

function sameReference(theirs: unknown, ours: string | undefined): boolean {
  if (!ours || theirs == null || theirs === '') return true;
  return String(theirs).trim().toLowerCase() === ours.trim().toLowerCase();
}

function foreignPaymentFault(check: ForeignPaymentCheck, match: QboRecord, count: number) {
  const { payment, realmId, syncId } = check;
  const described =
    `QuickBooks payment ${match.Id} of ${money(match.TotalAmt)} on ${String(match.TxnDate)}` +
    (match.PaymentRefNum ? ` (ref ${String(match.PaymentRefNum)})` : '');
  const more = count > 1 ? ` ${count - 1} more look the same.` : '';
  return localFault(
    'other',
    `This payment may already be in QuickBooks: ${described} was entered by someone else`,
    `Same customer and amount, within ${FOREIGN_PAYMENT_WINDOW_DAYS} days; no qbo-sync link or marker.${more} ` +
      'Company policy (onForeignPayment: ask) asks before linking.',
    `Another integration or a person seems to have recorded this payment already. If it is the same payment, ` +
      `link it (Resolve → link, step payments, source ${payment.sourceId}, QuickBooks id ${match.Id}) so it is ` +
      `not recorded twice; if it is a different payment, create ours anyway ` +
      `(POST /v1/companies/${realmId}/payments/${payment.sourceId}/create-anyway, sync ${syncId}).`,
  );
}

function cents(value: unknown): number {
  return Math.round(Number(value ?? 0) * 100);
}

function money(value: unknown): string {
  return (cents(value) / 100).toFixed(2);
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function dayDistance(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}
