import { ApplicationFailure } from '@temporalio/common';
import { QboFault } from '../quickbooks/faults';
import { reconcileCompany, type ReconcileSummary } from '../sync/reconcile-company';
import type { SyncDeps } from '../sync/sync-deps';
import { voidDuplicate, type VoidDuplicateInput, type VoidDuplicateOutcome } from '../sync/void-duplicate';
import { toApplicationFailure } from './application-failure';

export type { ReconcileSummary, VoidDuplicateInput, VoidDuplicateOutcome };

/** Reconciles one company and stores the result. Throws ApplicationFailure (type = pattern). */
export function reconcile(deps: SyncDeps, input: { realmId: string }): Promise<ReconcileSummary> {
  return adapt(deps, () => reconcileCompany(deps, input.realmId));
}

/** Voids one duplicate qbo-sync created, once per idempotency key. Throws ApplicationFailure. */
export function voidDuplicateRecord(
  deps: SyncDeps,
  input: VoidDuplicateInput,
): Promise<VoidDuplicateOutcome> {
  return adapt(deps, () => voidDuplicate(deps, input));
}

async function adapt<T>(deps: SyncDeps, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof QboFault)
      throw toApplicationFailure(err.fault, { throttleBackoffMs: deps.config.throttleBackoffMs });
    if (err instanceof ApplicationFailure) throw err;
    throw ApplicationFailure.create({
      type: 'transient_server',
      message: `qbo-sync internal error: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}
