import {
  reconcileWorkflowId,
  runReconciliationSignal,
  voidDuplicateSignal,
  type VoidRequest,
} from '../../workflows/reconcile-contract';
import type { ApiDeps } from '../deps';

/** How often a company is reconciled when nobody asks (the workflow's schedule). */
export const RECONCILE_EVERY_MINUTES = 24 * 60;

/**
 * Signals the company's reconciliation workflow, starting it when it is not running (signalWithStart:
 * concurrent requests land in one workflow): a run now, or a void a person asked for (then a run).
 */
export async function startReconciliation(deps: ApiDeps, realmId: string, voidRequest?: VoidRequest) {
  const workflowId = reconcileWorkflowId(realmId);
  const base = {
    workflowId,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ realmId, everyMinutes: RECONCILE_EVERY_MINUTES, runNow: !voidRequest }] as const,
  };
  if (voidRequest)
    await deps.temporal.workflow.signalWithStart('reconcileCompany', {
      ...base,
      args: [...base.args],
      signal: voidDuplicateSignal,
      signalArgs: [voidRequest],
    });
  else
    await deps.temporal.workflow.signalWithStart('reconcileCompany', {
      ...base,
      args: [...base.args],
      signal: runReconciliationSignal,
      signalArgs: [],
    });
  return workflowId;
}
