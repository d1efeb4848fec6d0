/** The reconciliation workflow's contract: id, signals and query, imported by the workflow and the API. */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One long-lived reconciliation workflow per company. */
export function reconcileWorkflowId(realmId: string): string {
  return `reconcile:${realmId}`;
}

export interface ReconcileInput {
  realmId: string;
  /** Runs again after this long without a request (the schedule); default one day. */
  everyMinutes?: number;
  /** Runs per history before continuing as new (default 50; tests lower it). */
  runsPerHistory?: number;
  /** Carried over continue-as-new: a request that arrived just before it. */
  runNow?: boolean;
  pendingVoids?: VoidRequest[];
}

/** A person asked to void a duplicate (recorded in Postgres under `idempotencyKey` before the signal). */
export interface VoidRequest {
  idempotencyKey: string;
  entity: 'Invoice' | 'Payment';
  qboId: string;
}

export interface ReconcileStatus {
  realmId: string;
  running: boolean;
  runs: number;
  lastReconciliationId: number | null;
  lastMismatches: number | null;
  lastQboCalls: number | null;
  voidsDone: string[];
  /** The last run's or void's failure after its retries, for operators (null when the last one worked). */
  lastError: string | null;
}

export const runReconciliationSignal = defineSignal('runReconciliation');
export const voidDuplicateSignal = defineSignal<[VoidRequest]>('voidDuplicate');
export const reconcileStatusQuery = defineQuery<ReconcileStatus>('reconcileStatus');
