import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  reconcileStatusQuery,
  runReconciliationSignal,
  voidDuplicateSignal,
  type ReconcileInput,
  type ReconcileStatus,
  type VoidRequest,
} from './reconcile-contract';

type Activities = ReturnType<typeof createActivities>;

const reads = proxyActivities<Activities>({
  // Reads every customer, invoice and payment in pages of 1000 under the company's request budget.
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
  },
});
const writes = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
  },
});

/** Runs per history before continuing as new, so the history stays small however long the company lives. */
const RUNS_PER_HISTORY = 50;

/**
 * Reconciliation of one company, on a schedule and on demand: runs at start, then whenever asked
 * (`runReconciliation`) or after `everyMinutes` without a request, and carries out the voids people ask
 * for from a result (each recorded in Postgres under its idempotency key, so it happens once). A failed
 * run is logged in its result and the loop goes on: the next run tries again.
 */
export async function reconcileCompany(input: ReconcileInput): Promise<void> {
  const every = `${input.everyMinutes ?? 24 * 60} minutes`;
  let runNow = input.runNow ?? true;
  const voids: VoidRequest[] = [...(input.pendingVoids ?? [])];
  const status: ReconcileStatus = {
    realmId: input.realmId,
    running: false,
    runs: 0,
    lastReconciliationId: null,
    lastMismatches: null,
    lastQboCalls: null,
    voidsDone: [],
    lastError: null,
  };
  const limit = input.runsPerHistory ?? RUNS_PER_HISTORY;
  setHandler(runReconciliationSignal, () => {
    runNow = true;
  });
  setHandler(voidDuplicateSignal, (request) => {
    // Postgres holds the real guarantee (the activity claims the key); this spares a second activity.
    const key = request.idempotencyKey;
    if (!voids.some((v) => v.idempotencyKey === key) && !status.voidsDone.includes(key)) voids.push(request);
  });
  setHandler(reconcileStatusQuery, () => status);

  while (status.runs < limit) {
    while (voids.length > 0) {
      const request = voids[0];
      try {
        const outcome = await writes.voidDuplicateRecord({ realmId: input.realmId, ...request });
        // A refused void (recorded as failed with its reason) may be asked for again.
        if (outcome.status === 'done') status.voidsDone.push(request.idempotencyKey);
        status.lastError = outcome.status === 'done' ? null : `void ${request.qboId}: ${outcome.reason}`;
      } catch (err) {
        // Retries spent (QuickBooks down): the action stays `started` in Postgres and can be asked again.
        status.lastError = `void ${request.qboId}: ${(err as Error).message}`;
      }
      voids.shift();
      runNow = true; // show the result of the void
    }
    if (runNow) {
      runNow = false;
      status.running = true;
      try {
        const summary = await reads.reconcile({ realmId: input.realmId });
        status.lastReconciliationId = summary.reconciliationId;
        status.lastMismatches = summary.mismatches;
        status.lastQboCalls = summary.qboCalls;
        status.lastError = null;
      } catch (err) {
        // QuickBooks unreachable for every retry: the next scheduled or requested run tries again.
        status.lastError = `reconcile: ${(err as Error).message}`;
      }
      status.running = false;
      status.runs++;
    }
    const asked = await condition(() => runNow || voids.length > 0, every);
    if (!asked) runNow = true;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof reconcileCompany>({
    realmId: input.realmId,
    everyMinutes: input.everyMinutes,
    runsPerHistory: input.runsPerHistory,
    runNow,
    pendingVoids: voids,
  });
}
