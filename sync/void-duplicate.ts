import { listLinks, markVoided } from '../db/queries/links';
import { claimAction, finishAction } from '../db/queries/reconciliation-actions';
import { getSourceDocument } from '../db/queries/source-documents';
import { isFault, QboFault } from '../quickbooks/faults';
import { hasAnyMarker } from './foreign-payments';
import { isVoided } from './markers';
import type { SyncDeps } from './sync-deps';
import { requestIdFor } from './sync-hash';

export interface VoidDuplicateInput {
  realmId: string;
  idempotencyKey: string;
  entity: 'Invoice' | 'Payment';
  qboId: string;
}

export type VoidDuplicateOutcome =
  { status: 'done'; voided: string; alreadyVoided?: boolean } | { status: 'failed'; reason: string };

/**
 * Voids (never deletes) a QuickBooks record that qbo-sync created and no source record needs, once per
 * idempotency key: a repeated call returns the recorded outcome once done, and the void's requestid comes from the
 * key, so a retry after a lost response is answered by QuickBooks instead of applied twice. Refuses a
 * record without qbo-sync's marker (someone else's) and one a live link still needs. Throws QboFault only
 * when QuickBooks fails in a way worth retrying.
 */
export async function voidDuplicate(
  deps: SyncDeps,
  input: VoidDuplicateInput,
): Promise<VoidDuplicateOutcome> {
  const { realmId, idempotencyKey, entity, qboId } = input;
  const { action } = await claimAction(deps.db, {
    idempotencyKey,
    realmId,
    kind: 'void_duplicate',
    target: { entity, qboId },
  });
  // A refused void may be asked again once its cause is fixed (e.g. a closed period reopened): the read
  // below sees a void that did happen, and the requestid makes QuickBooks answer a repeat from its record.
  if (action.status === 'done') return action.result as VoidDuplicateOutcome;
  const fail = async (reason: string): Promise<VoidDuplicateOutcome> => {
    const outcome = { status: 'failed' as const, reason };
    await finishAction(deps.db, idempotencyKey, 'failed', outcome);
    return outcome;
  };
  try {
    const record = await deps.ledger.read(realmId, entity, qboId);
    if (isVoided(record)) {
      const outcome = { status: 'done' as const, voided: qboId, alreadyVoided: true };
      await finishAction(deps.db, idempotencyKey, 'done', outcome);
      return outcome;
    }
    if (!hasAnyMarker(record.PrivateNote))
      return await fail(
        `QuickBooks ${entity} ${qboId} was not created by qbo-sync (no marker): void it by hand if it is a duplicate.`,
      );
    const live = (await listLinks(deps.db, realmId)).find(
      (l) => l.entityType === entity && l.qboId === qboId && l.status === 'linked',
    );
    if (live && !(await sourceDropped(deps, realmId, live.parentSourceId, live.sourceId, entity)))
      return await fail(
        `QuickBooks ${entity} ${qboId} is linked to source ${live.sourceId}, which still has it.`,
      );
    const send = (syncToken: string) =>
      deps.ledger.void(
        realmId,
        entity,
        { Id: qboId, SyncToken: syncToken },
        {
          requestId: requestIdFor(idempotencyKey, 'void', syncToken),
        },
      );
    let voided;
    try {
      voided = await send(record.SyncToken);
    } catch (err) {
      if (!isFault(err, 'stale_object')) throw err;
      voided = await send((await deps.ledger.read(realmId, entity, qboId)).SyncToken);
    }
    if (live)
      await markVoided(deps.db, { realmId, entityType: entity, sourceId: live.sourceId }, voided.SyncToken);
    const outcome = { status: 'done' as const, voided: qboId };
    await finishAction(deps.db, idempotencyKey, 'done', outcome);
    return outcome;
  } catch (err) {
    if (err instanceof QboFault && !err.fault.retryable)
      return fail(`QuickBooks refused: ${err.fault.message}`);
    throw err;
  }
}

/** A payment link whose source invoice's latest document no longer has the payment (a lost void). */
async function sourceDropped(
  deps: SyncDeps,
  realmId: string,
  invoiceSourceId: string | null,
  sourceId: string,
  entity: 'Invoice' | 'Payment',
): Promise<boolean> {
  if (entity !== 'Payment' || !invoiceSourceId) return false;
  const doc = await getSourceDocument(deps.db, realmId, invoiceSourceId);
  return !!doc && !doc.payments.some((p) => p.sourceId === sourceId);
}
