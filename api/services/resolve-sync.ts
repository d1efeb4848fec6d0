import { decideDrift } from '../../db/queries/link-drift';
import type { DriftDecision } from '../../sync/drift';
import { resolveSignal, retrySignal, type ResolveDecision } from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { readSync, type SyncView } from './read-sync';

/** A person's decision on a waiting sync: a workflow decision, or re-create / overwrite a changed record. */
export type SyncDecision =
  ResolveDecision | { kind: DriftDecision; step: 'invoice' | 'payments'; sourceId: string; note?: string };

export interface ResolveOutcome {
  syncId: string;
  signalled: 'retry' | 'resolve';
  decision: SyncDecision;
  sync: SyncView;
}

/**
 * Records a person's decision on a sync that waits for one: the API's resolve route and the admin page's
 * buttons both come here. Re-create and overwrite are kept on the link (the sync's next write acts on
 * them) and the sync is retried; the other decisions are the resolve signal. Accepting QuickBooks' version
 * of a changed record is `manual`. Throws ApiError 404 (no such sync), 409 (not waiting, or the decision
 * names another record or pattern than the one the sync waits on).
 */
export async function resolveSync(
  deps: Pick<ApiDeps, 'db' | 'temporal'>,
  syncId: string,
  decision: SyncDecision,
): Promise<ResolveOutcome> {
  const sync = await waitingSync(deps, syncId);
  const failing = sync.lastError;
  const handle = deps.temporal.workflow.getHandle(syncId);
  if (decision.kind === 'recreate' || decision.kind === 'overwrite') {
    if (
      failing?.pattern !== 'changed_in_quickbooks' ||
      failing.step !== decision.step ||
      failing.sourceId !== decision.sourceId
    ) {
      throw new ApiError(
        409,
        'decision_not_applicable',
        'Re-create and overwrite apply to the record a sync is waiting on with changed_in_quickbooks.',
      );
    }
    const entityType = decision.step === 'invoice' ? 'Invoice' : 'Payment';
    const realmId = sync.realmId ?? syncId.split(':')[1] ?? '';
    await decideDrift(deps.db, { realmId, entityType, sourceId: decision.sourceId }, decision.kind);
    await handle.signal(retrySignal, {
      note: `${decision.kind} (changed in QuickBooks)${decision.note ? `: ${decision.note}` : ''}`,
    });
    return { syncId, signalled: 'retry', decision, sync };
  }
  if (decision.kind === 'redate') {
    if (failing?.pattern !== 'closed_period') {
      throw new ApiError(
        409,
        'decision_not_applicable',
        'Re-dating applies to a sync stopped by a closed accounting period.',
      );
    }
  } else if (failing?.step !== decision.step || failing?.sourceId !== decision.sourceId) {
    throw new ApiError(
      409,
      'decision_not_applicable',
      `The sync is waiting on step ${failing?.step} record ${failing?.sourceId}; a decision must name that step and sourceId.`,
    );
  }
  await handle.signal(resolveSignal, decision);
  return { syncId, signalled: 'resolve', decision, sync };
}

/** The sync, when it waits for a person (paused or needs_attention). */
export async function waitingSync(deps: Pick<ApiDeps, 'temporal'>, syncId: string): Promise<SyncView> {
  const sync = await readSync(deps.temporal, syncId);
  if (!sync) throw new ApiError(404, 'sync_not_found', `No sync with id ${syncId}.`);
  if (sync.state !== 'needs_attention' && sync.state !== 'paused') {
    throw new ApiError(
      409,
      'sync_not_waiting',
      `The sync is ${sync.state}; only a paused or needs_attention sync can be retried or resolved.`,
    );
  }
  return sync;
}
