import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';
import type { Db } from '../db/client';
import {
  ensureRealmBudget,
  holdRealm,
  releaseSlot,
  releaseThrottled,
  releaseUnused,
  tryTakeSlot,
  type BudgetLimits,
  type ThrottleHolds,
} from '../db/queries/realm-budget';
import type { RealmBudget, ReleaseSlot } from '../quickbooks/ports';
import { createLocalTurns } from './local-turns';

export interface RealmBudgetOptions {
  /** The drizzle handle (its postgres.js client is used) or the postgres.js client itself. */
  db?: Db;
  sql?: Sql;
  /** Requests per sliding 60 s per company, across all processes. Keep under QuickBooks' 500 (config: 490). */
  perMinute: number;
  /** Requests in flight per company, across all processes. QuickBooks allows 10. */
  maxInFlight: number;
  /** Requests per sliding second per company. QuickBooks allows 10. Default 10. */
  perSecond?: number;
  /** Batch requests per sliding 60 s per company, across all processes. QuickBooks allows 40. Default 40. */
  batchesPerMinute?: number;
  /**
   * Requests that may go at once under the per-minute limit before its spacing applies (the per-second
   * limit still holds). Each one of burst costs the steady rate a request a minute. Default 5.
   */
  minuteBurst?: number;
  /** How long a slot stays taken if its process dies before releasing it. Default 90 s. */
  leaseMs?: number;
  /**
   * Extra length of the minute window, so that the gap between our clock and QuickBooks' arrival times
   * cannot put one request too many in its window. Default 250 ms.
   */
  windowGuardMs?: number;
  /**
   * Extra length of the second window. A request reaches QuickBooks some time after its grant (the
   * HTTP client, a batch being assembled, a busy event loop on either side), and one sent late lands in
   * the same second as later ones sent at once: 125 ms let 11 of 4,000 requests be refused on a quiet
   * machine, 200 ms 1 to 5 of ~3,000 (bench/RESULTS.md). Default 250 ms: ten per 1.25 s is 480 a minute,
   * about the minute limit's own steady rate at 490 (483), so it costs next to nothing.
   */
  secondGuardMs?: number;
  /**
   * A grant whose answer took longer than this to reach the process (a stalled event loop, a slow commit)
   * is given back unused and asked for again: it was stamped when the database granted it, and a request
   * sent that much later can land in the next second's window beside requests granted after it. Default
   * 100 ms (a grant's round trip here: p50 0.3 ms, p99 under 10 ms).
   */
  lateGrantMs?: number;
  /** Monotonic milliseconds, to time a grant's round trip. Default performance.now. */
  clock?: () => number;
  /** Re-check interval while every slot is taken. Default 25 ms. */
  slotPollMs?: number;
  /** The first hold after a 429 that names no wait; it doubles while the probe is refused. Default 2 s. */
  firstHoldMs?: number;
  /**
   * The longest such hold. Default 8 s: a refused probe costs the company nothing (QuickBooks does not
   * count throttled requests), while a long hold can overshoot the moment its window frees by as much.
   */
  maxHoldMs?: number;
  /** Called when a late grant is given back, with how long its answer took. */
  onLateGrant?: (realmId: string, tookMs: number) => void;
  /** Called on every wait for a slot, e.g. to heartbeat the activity that is waiting. */
  onWait?: () => void;
}

/**
 * The per-company QuickBooks request budget, kept in Postgres so every worker process shares it: one row
 * per company, taken and given back with one UPDATE each. It holds a GCRA for the per-minute limit, exact
 * sliding windows for the per-second and batch limits, leased concurrency slots that come back on their
 * own when a worker dies, and the hold after a 429: short at first, then one probe request, doubling while
 * QuickBooks keeps refusing. Waiting happens outside any transaction, and inside a process only the first
 * waiter of a company asks the database (the others wait their turn), so waiting costs the database per
 * process, not per waiting activity. Throws only database errors.
 */
export function createRealmBudget(options: RealmBudgetOptions): RealmBudget {
  const given = options.sql ?? (options.db?.$client as Sql | undefined);
  if (!given) throw new Error('createRealmBudget needs db or sql');
  const sql: Sql = given;
  const guardMs = options.windowGuardMs ?? 250;
  const secondGuardMs = options.secondGuardMs ?? 250;
  const minuteWindowMs = 60_000 + guardMs;
  const perMinute = options.perMinute;
  // GCRA: at most floor((W + τ) / T) + 1 grants in any window W; with τ = (burst − 1)·T that is
  // floor(W / T) + burst, so T = W / (perMinute − burst) keeps every guarded minute at perMinute.
  const burst = Math.max(1, Math.min(options.minuteBurst ?? 5, perMinute - 1));
  const minuteIntervalMs = perMinute > burst ? minuteWindowMs / (perMinute - burst) : minuteWindowMs + 1;
  const limits: BudgetLimits = {
    minuteIntervalMs,
    minuteToleranceMs: (burst - 1) * minuteIntervalMs,
    perSecond: options.perSecond ?? 10,
    secondWindowMs: 1_000 + secondGuardMs,
    batchesPerMinute: options.batchesPerMinute ?? 40,
    minuteWindowMs,
    maxInFlight: options.maxInFlight,
    leaseMs: options.leaseMs ?? 90_000,
    slotPollMs: options.slotPollMs ?? 25,
    probePollMs: 100,
  };
  const holds: ThrottleHolds = {
    firstHoldMs: options.firstHoldMs ?? 2_000,
    maxHoldMs: options.maxHoldMs ?? 8_000,
  };

  // Batches wait in their own line: one waiting for the batch limit must not hold up single requests.
  const turns = createLocalTurns(options.onWait);
  const lateGrantMs = options.lateGrantMs ?? 100;
  const clock = options.clock ?? (() => performance.now());

  return {
    async acquire(realmId, { batch = false } = {}) {
      const done = await turns.take(`${batch ? 'batch' : 'single'}:${realmId}`);
      try {
        return await takeSlot(realmId, batch);
      } finally {
        done();
      }
    },
    async backOff(realmId, ms) {
      await holdRealm(sql, realmId, ms);
    },
  };

  async function takeSlot(realmId: string, batch: boolean): Promise<ReleaseSlot> {
    // A database slow on every answer delays every grant alike, which bunches nothing: after two late
    // grants in a row the third is used however long it took, so a slow database cannot stop all requests.
    let lateInARow = 0;
    for (;;) {
      const asked = clock();
      const attempt = await tryTakeSlot(sql, realmId, limits, batch);
      const tookMs = clock() - asked;
      if (attempt.granted && tookMs > lateGrantMs && lateInARow < 2) {
        lateInARow++;
        // Its stamp stays in the sliding second (a slot of it, never a 429); a probe stays to be sent.
        await releaseUnused(sql, realmId, attempt.slot, attempt.lease, limits);
        options.onLateGrant?.(realmId, tookMs);
        continue;
      }
      if (attempt.granted) {
        let released = false;
        return async (outcome) => {
          if (released) return;
          released = true;
          if (outcome?.throttled)
            await releaseThrottled(sql, realmId, attempt.slot, attempt.lease, outcome.retryAfterMs, holds);
          else await releaseSlot(sql, realmId, attempt.slot, attempt.lease);
        };
      }
      if ('missing' in attempt) {
        await ensureRealmBudget(sql, realmId);
        continue;
      }
      options.onWait?.();
      // A little jitter so waiters from many processes don't all wake on the same millisecond; long
      // waits (a hold) are slept in pieces so the waiting activity keeps heartbeating.
      await sleep(Math.min(attempt.waitMs, 5_000) + Math.floor(Math.random() * 5));
    }
  }
}
