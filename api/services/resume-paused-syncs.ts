import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { clearWaiting, listWaiting } from '../../db/queries/waiting-syncs';
import { periodReopenedSignal, reconnectedSignal, type PauseReason } from '../../workflows/contract';
import { visibilityLiteral } from './visibility';

/** What a resume did: every sync it found is in exactly one of the three counts. */
export interface ResumeOutcome {
  /** Running syncs that received the signal. */
  signalled: number;
  /** Syncs that had already finished (nothing to resume). */
  finished: number;
  /** Syncs the signal could not reach after retries (they still resume on their own self-check). */
  failed: number;
}

/**
 * Signals every sync of the company that may wait for `reason`: those the app's own table records as
 * waiting (kept by the workflows' self-checks) and every running sync of the company that visibility
 * lists (its RealmId is set at start, so a sync paused moments ago is listed even if its PauseReason is
 * not indexed yet). The workflow latches the signal, so one that reaches a sync still running, or one
 * that pauses later in the same attempt, is never lost. Failed signals are retried before counting.
 */
export async function resumePausedSyncs(
  temporal: Client,
  db: Db,
  realmId: string,
  reason: PauseReason,
  options: { attempts?: number; backoffMs?: number } = {},
): Promise<ResumeOutcome> {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const ids = new Set(await listWaiting(db, realmId, reason));
  const query = `RealmId = ${visibilityLiteral(realmId)} AND ExecutionStatus = 'Running'`;
  for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);

  const signal = reason === 'auth' ? reconnectedSignal : periodReopenedSignal;
  const outcome: ResumeOutcome = { signalled: 0, finished: 0, failed: 0 };
  const finished: string[] = [];
  const send = async (id: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await temporal.workflow.getHandle(id).signal(signal, {});
        outcome.signalled++;
        return;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          outcome.finished++;
          finished.push(id);
          return;
        }
        if (attempt >= attempts) {
          outcome.failed++;
          return;
        }
        await new Promise((r) => setTimeout(r, backoffMs * attempt));
      }
    }
  };
  const list = [...ids];
  const concurrency = 32;
  for (let i = 0; i < list.length; i += concurrency)
    await Promise.all(list.slice(i, i + concurrency).map(send));
  await clearWaiting(db, finished);
  return outcome;
}
