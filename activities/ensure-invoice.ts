import { markLinked } from '../db/queries/links';
import { getPolicy } from '../db/queries/policies';
import type { InvoiceDoc, LineDoc } from '../workflows/contract';
import { inactiveFault } from '../sync/inactive-records';
import { asActivity } from './application-failure';
import { converge } from '../sync/converge';
import { hasMarker, isVoided, markerFor } from '../sync/markers';
import { inactiveOf, reactivate } from '../sync/record-activity';
import { isFault, refine } from '../quickbooks/faults';
import { prune } from '../sync/prune';
import { confirmStillThere, driftFromRefusal, guardDrift } from '../sync/drift-guard';
import { type SyncDeps, type EnsureResult } from '../sync/sync-deps';
import { globalTaxCalculation } from '../sync/company-profile';
import { salesLines } from '../sync/invoice-lines';
import type { QboRecord } from '../quickbooks/client';
import { eq } from '../sync/ledger';
import { QboFault } from '../quickbooks/faults';
import { closedPeriodHint } from '../quickbooks/hints';

export interface EnsureInvoiceInput {
  realmId: string;
  syncId: string;
  invoice: InvoiceDoc;
  lines: LineDoc[];
  customerQboId: string;
  itemQboIds: Record<string, string>;
  /** See ConvergeSpec.retries. */
  retries?: number;
}

/**
 * Makes sure the source invoice exists in QuickBooks exactly once and matches the newest version
 * (sparse update with the full Line array). A DocNumber already used by an invoice carrying our marker is
 * linked; by anyone else's, throws duplicate_doc_number naming the TxnId. Inactive customer/items are
 * reactivated when the policy allows, else inactive_or_missing_reference. Throws ApplicationFailure.
 */
export function ensureInvoice(deps: SyncDeps, input: EnsureInvoiceInput): Promise<EnsureResult> {
  const { realmId, syncId, invoice, customerQboId } = input;
  return asActivity(
    deps,
    { step: 'invoice', sourceId: invoice.sourceId, sync: { realmId, syncId } },
    async () => {
      const key = { realmId, entityType: 'Invoice' as const, sourceId: invoice.sourceId };
      const policy = await getPolicy(deps.db, realmId);
      const marker = markerFor(invoice.sourceId);
      const docNumber = invoice.docNumber && policy.docNumbers === 'source' ? invoice.docNumber : undefined;
      const fields = prune({
        CustomerRef: { value: customerQboId },
        TxnDate: invoice.txnDate,
        DueDate: invoice.dueDate,
        DocNumber: docNumber,
        CustomerMemo: invoice.memo ? { value: invoice.memo } : undefined,
        GlobalTaxCalculation: await globalTaxCalculation(deps, realmId),
        Line: await salesLines(deps, realmId, input.lines, input.itemQboIds),
      });
      const refs = [
        { entity: 'Customer' as const, id: customerQboId },
        ...[...new Set(Object.values(input.itemQboIds))].map((id) => ({ entity: 'Item' as const, id })),
      ];
      const ours = (rows: QboRecord[]) => rows.find((r) => hasMarker(r.PrivateNote, marker) && !isVoided(r));
      const byDocNumber = (n: string) =>
        deps.ledger.find(realmId, 'Invoice', { where: [eq('DocNumber', n)] });
      await guardDrift(deps, key);
      try {
        const result = await converge(deps, {
          syncId,
          key,
          fields,
          // The PrivateNote is the bookkeeper's: our marker goes in on create only, updates never touch it.
          createOnly: { PrivateNote: marker },
          marker,
          sourceVersion: invoice.version,
          retries: input.retries,
          findPending: async () =>
            ours(
              docNumber
                ? await byDocNumber(docNumber)
                : await deps.ledger.find(realmId, 'Invoice', {
                    where: [eq('CustomerRef', customerQboId), eq('TxnDate', invoice.txnDate)],
                  }),
            ),
          fixAndRetry: (fault) => fixInactive(deps, realmId, syncId, fault, refs),
          async onCreateRefused(fault) {
            if (!isFault(fault, 'duplicate_doc_number') || !docNumber) throw fault;
            const rows = await byDocNumber(docNumber);
            const mine = ours(rows);
            if (mine) {
              await markLinked(deps.db, key, {
                qboId: mine.Id,
                syncToken: mine.SyncToken,
                sourceHash: null,
                linkedBy: 'sync',
                sourceVersion: invoice.version,
              });
              // Converge the found invoice onto this version (the hash was left empty on purpose).
              return {
                ...(await converge(deps, {
                  syncId,
                  key,
                  fields,
                  marker,
                  sourceVersion: invoice.version,
                  findPending: async () => undefined,
                })),
                action: 'linked',
              };
            }
            const theirs = rows.find((r) => !isVoided(r)) ?? rows[0];
            throw refine(fault, {
              detail: theirs
                ? `Invoice number ${docNumber} is already used in QuickBooks by TxnId=${theirs.Id}, which qbo-sync did not create.`
                : fault.fault.detail,
            });
          },
        });
        if (result.action === 'unchanged') await confirmStillThere(deps, key, invoice.version);
        return result;
      } catch (err) {
        throw await explain(deps, realmId, await driftFromRefusal(deps, key, err), refs, invoice.txnDate);
      }
    },
  );
}

/**
 * A 610/2500 about the customer or items: with policy `reactivate`, reactivate the inactive ones and say
 * to write once more; else leave the fault to be explained.
 */
export async function fixInactive(
  deps: SyncDeps,
  realmId: string,
  syncId: string,
  fault: QboFault,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
): Promise<boolean> {
  if (!isFault(fault, 'inactive_or_missing_reference')) return false;
  const policy = await getPolicy(deps.db, realmId);
  if (policy.onInactiveReference !== 'reactivate') return false;
  return reactivate(deps, realmId, syncId, refs);
}

/** Adds what a person needs to a transaction's fault: which reference is inactive, the closing date. */
export async function explain(
  deps: SyncDeps,
  realmId: string,
  err: unknown,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
  txnDate: string,
): Promise<unknown> {
  if (isFault(err, 'inactive_or_missing_reference')) {
    const inactive = await inactiveOf(deps, realmId, refs).catch(() => []);
    if (inactive.length === 0) return err;
    const what = inactive
      .map((r) => `${r.entity.toLowerCase()} "${r.name}" (QuickBooks id ${r.id})`)
      .join(', ');
    return inactiveFault(what, err);
  }
  if (isFault(err, 'closed_period')) {
    const prefs = await deps.ledger.preferences(realmId).catch(() => undefined);
    const closeDate = (prefs?.AccountingInfoPrefs as { BookCloseDate?: string } | undefined)?.BookCloseDate;
    return refine(err, {
      hint: closedPeriodHint(closeDate),
      detail: `${err.fault.detail} (transaction date ${txnDate}${closeDate ? `, books closed through ${closeDate}` : ''})`,
    });
  }
  return err;
}
