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
  /** The run's SYNC_REVISION: from 3, auth checks are spread over the interval (see untilNextCheck). */
  revision: number;
  /** A signal, decision or newer document arrived. */
  woke: () => boolean;
}

export type PauseEnd = 'woke' | 'cleared' | 'restart';

/**
 * Waits out a pause (expired connection, closed period) until a person signals or the cause is gone on
 * its own: checks once before waiting, then once per interval (see untilNextCheck). A signal ends the
 * wait at once. Returns 'restart' when the history has grown enough that the run should continue as new.
 */
export async function waitOutPause(p: PauseWait): Promise<PauseEnd> {
  const failedAt = new Date().toISOString();
  let closedAt: string | undefined;
  // From revision 4 an expired connection is not checked right after the failure that revealed it: the
  // failing activity recorded the sync as waiting and a reconnect signals every running sync of the
  // company (latched), so that check only cost an activity and a workflow task per paused sync.
  const firstCheckAfterWait = p.reason === 'auth' && p.revision >= 4;
  for (let waited = 0; ; waited++) {
    if (p.woke()) return 'woke';
    if (!(waited === 0 && firstCheckAfterWait))
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
    const wait = untilNextCheck(p.timings.pauseCheckMs, p.syncId, p.reason, p.revision, {
      waited,
      maxIntervalMs: p.timings.pauseCheckMaxMs,
    });
    if (await condition(p.woke, wait)) return 'woke';
  }
}

/**
 * Milliseconds to this sync's next check. A closed period is checked on the clock-aligned tick (plus
 * at most 2 s), so a company's held syncs share one read of its book-close date and clear within one
 * interval of a reopening. An expired connection is checked (from revision 3) at a fixed point of the
 * interval derived from the sync id: the check is a database read, nothing is shared, and thousands of
 * evicted syncs replaying on the same tick would hold every workflow task behind them (bench/RESULTS.md).
 * From revision 4 its later waits grow (see growingWait); `waited`: the waits before this one.
 */
export function untilNextCheck(
  intervalMs: number,
  syncId: string,
  reason: PauseReason,
  revision: number,
  { waited = 0, maxIntervalMs = intervalMs }: { waited?: number; maxIntervalMs?: number } = {},
): number {
  if (reason !== 'auth' || revision < 3) return untilNextTick(intervalMs, syncId);
  if (revision >= 4 && waited > 0) return growingWait(intervalMs, maxIntervalMs, waited);
  const offset = authCheckOffset(intervalMs, syncId);
  return (offset - (Date.now() % intervalMs) + intervalMs) % intervalMs || intervalMs;
}

/**
 * An expired connection's wait after `waited` earlier ones: the interval doubled each time, up to
 * `maxIntervalMs`. A reconnect signals every waiting sync (from the waiting_syncs table, retried), so
 * this only bounds how long a sync whose signal never came can wait; each check is a workflow task
 * (a replay once the sync is evicted) and an activity, which at a fixed 5 minutes is ~17 checks a
 * second for 5,000 paused syncs, more than a small worker runs (bench/RESULTS.md).
 */
export function growingWait(intervalMs: number, maxIntervalMs: number, waited: number): number {
  return Math.min(intervalMs * 2 ** Math.min(waited, 30), Math.max(intervalMs, maxIntervalMs));
}

/** The point of each interval (ms after the aligned tick) at which a sync checks an expired connection. */
export function authCheckOffset(intervalMs: number, syncId: string): number {
  return syncHash(syncId) % intervalMs;
}

/** Milliseconds to the next tick of `intervalMs` on the clock, plus a small per-sync spread. */
export function untilNextTick(intervalMs: number, syncId: string): number {
  const spread = Math.min(Math.floor(intervalMs / 20), 2_000);
  return intervalMs - (Date.now() % intervalMs) + (spread ? syncHash(syncId) % spread : 0);
}

/** A deterministic hash of the sync id (the same on every replay and every worker). */
function syncHash(syncId: string): number {
  let hash = 0;
  for (const ch of syncId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash;
}
