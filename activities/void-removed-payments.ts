import { listPaymentLinks, markVoided } from '../db/queries/links';
import { asActivity } from './application-failure';
import { isFault } from '../quickbooks/faults';
import { type SyncDeps } from '../sync/sync-deps';
import { requestIdFor } from '../sync/sync-hash';

export interface VoidRemovedPaymentsInput {
  realmId: string;
  syncId: string;
  invoiceSourceId: string;
  keepSourceIds: string[];
  /** How many times QuickBooks definitely refused this void before: each try needs its own requestid. */
  retries?: number;
}

/**
 * Voids (never deletes) the QuickBooks payments of a source invoice that the source no longer has,
 * re-reading once on a stale SyncToken. Returns the source ids voided. Throws ApplicationFailure.
 */
export function voidRemovedPayments(
  deps: SyncDeps,
  input: VoidRemovedPaymentsInput,
): Promise<{ voided: string[] }> {
  const { realmId, syncId, invoiceSourceId } = input;
  return asActivity(
    deps,
    { step: 'payments', sourceId: invoiceSourceId, sync: { realmId, syncId } },
    async () => {
      const keep = new Set(input.keepSourceIds);
      const voided: string[] = [];
      for (const link of await listPaymentLinks(deps.db, realmId, invoiceSourceId)) {
        // manual: a person owns it; foreign: another app's record, linked instead of creating ours (theirs to void).
        if (
          link.status !== 'linked' ||
          !link.qboId ||
          link.linkedBy === 'manual' ||
          link.linkedBy === 'foreign' ||
          keep.has(link.sourceId)
        )
          continue;
        const send = (syncToken: string) =>
          deps.ledger.void(
            realmId,
            'Payment',
            { Id: link.qboId!, SyncToken: syncToken },
            {
              requestId: input.retries
                ? requestIdFor(syncId, 'Payment', link.sourceId, 'void', syncToken, `try-${input.retries}`)
                : requestIdFor(syncId, 'Payment', link.sourceId, 'void', syncToken),
            },
          );
        let record;
        try {
          record = await send(link.syncToken ?? '0');
        } catch (err) {
          if (!isFault(err, 'stale_object')) throw err;
          record = await send((await deps.ledger.read(realmId, 'Payment', link.qboId)).SyncToken);
        }
        await markVoided(
          deps.db,
          { realmId, entityType: 'Payment', sourceId: link.sourceId },
          record.SyncToken,
        );
        voided.push(link.sourceId);
      }
      return { voided };
    },
  );
}
