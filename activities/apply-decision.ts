import { ApplicationFailure } from '@temporalio/common';
import { clearDrift } from '../db/queries/link-drift';
import { markLinked } from '../db/queries/links';
import { writtenFields } from '../sync/drift';
import type { ResolveDecision } from '../workflows/contract';
import { asActivity } from './application-failure';
import { type SyncDeps, type EnsureResult } from '../sync/sync-deps';

export interface ApplyDecisionInput {
  realmId: string;
  decision: ResolveDecision;
  entityType: 'Customer' | 'Item' | 'Invoice' | 'Payment';
}

/**
 * Applies a person's decision. `link`: reads the QuickBooks record to prove it exists, then links it
 * (linkedBy admin; the next ensure converges our fields onto it). `manual`: records that a person entered
 * it by hand (linkedBy manual; ensure leaves it alone). Throws ApplicationFailure (e.g. the id is unknown).
 */
export function applyDecision(deps: SyncDeps, input: ApplyDecisionInput): Promise<EnsureResult> {
  const { realmId, decision, entityType } = input;
  if (decision.kind !== 'link' && decision.kind !== 'manual') {
    throw ApplicationFailure.create({
      type: 'other',
      message: `applyDecision does not apply ${decision.kind}`,
      nonRetryable: true,
    });
  }
  const key = { realmId, entityType, sourceId: decision.sourceId };
  return asActivity(deps, { step: decision.step, sourceId: decision.sourceId }, async () => {
    if (decision.kind === 'manual') {
      await markLinked(deps.db, key, {
        qboId: decision.qboId ?? null,
        syncToken: null,
        sourceHash: null,
        linkedBy: 'manual',
      });
      // Accepting QuickBooks' version (or entering it by hand) settles any drift on the record.
      await clearDrift(deps.db, key);
      return { qboId: decision.qboId ?? '', action: 'manual' as const };
    }
    const record = await deps.ledger.read(realmId, entityType, decision.qboId);
    await markLinked(deps.db, key, {
      qboId: record.Id,
      syncToken: record.SyncToken,
      sourceHash: null,
      linkedBy: 'admin',
      written: writtenFields(entityType, record),
    });
    return { qboId: record.Id, action: 'linked' as const };
  });
}
