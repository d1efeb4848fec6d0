import { condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PauseReason, Step, SyncError, SyncTimings } from './contract';

type Activities = ReturnType<typeof createActivities>;

/** The self-check is a database read (at most one shared Preferences read): short timeouts, few retries. */
const checks = proxyActivities<Pick<Activities, 'checkPauseCause'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

export interface PauseWait {
  realmId: string;
  syncId: string;
  step: Step;
  sourceId: string;
  reason: PauseReason;
  error: SyncError;
  /** The held transaction's date, when the step knows it (not for voids). */
  txnDate?: string;
  timings: SyncTimings;
  /** A signal, decision or newer document arrived. */
  woke: () => boolean;
}

export type PauseEnd = 'woke' | 'cleared' | 'restart';

/**
 * Waits out a pause (expired connection, closed period) until a person signals or the cause is gone on
 * its own: checks once before waiting, then on clock-aligned ticks so a company's syncs check together
 * (and share one read of its book-close date). A signal ends the wait at once. Returns 'restart' when
 * the history has grown enough that the run should continue as new.
 */
export async function waitOutPause(p: PauseWait): Promise<PauseEnd> {
  const failedAt = new Date().toISOString();
  let closedAt: string | undefined;
  for (;;) {
    if (p.woke()) return 'woke';
    try {
      const check = await checks.checkPauseCause({
        realmId: p.realmId,
        syncId: p.syncId,
        step: p.step,
        sourceId: p.sourceId,
        reason: p.reason,
        connectionVersion: p.error.connectionVersion,
        failedAt,
        txnDate: p.txnDate,
        closedAt,
        intervalMs: p.timings.pauseCheckMs,
      });
      if (check.cleared) return 'cleared';
      if (closedAt === undefined && check.bookCloseDate) closedAt = check.bookCloseDate;
    } catch {
      // The check could not run (database down): the next tick tries again; signals still wake us.
    }
    if (p.woke()) return 'woke';
    if (workflowInfo().continueAsNewSuggested) return 'restart';
    if (await condition(p.woke, untilNextTick(p.timings.pauseCheckMs, p.syncId))) return 'woke';
  }
}

/** Milliseconds to the next tick of `intervalMs` on the clock, plus a small per-sync spread. */
export function untilNextTick(intervalMs: number, syncId: string): number {
  const spread = Math.min(Math.floor(intervalMs / 20), 2_000);
  let hash = 0;
  for (const ch of syncId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return intervalMs - (Date.now() % intervalMs) + (spread ? hash % spread : 0);
}
