import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';
import type { Db } from '../db/client';
import { holdRealm, releaseSlot, tryTakeSlot, type BudgetLimits } from '../db/queries/realm-budget';
import type { RealmBudget } from '../quickbooks/ports';

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
  /** How long a slot stays taken if its process dies before releasing it. Default 90 s. */
  leaseMs?: number;
  /**
   * Extra length of the minute window (the second window gets half of it), so that the gap between our
   * clock and QuickBooks' arrival times cannot put one request too many in its window. Default 250 ms.
   */
  windowGuardMs?: number;
  /** Re-check interval while every slot is taken. Default 25 ms. */
  slotPollMs?: number;
  /** Called on every wait for a slot, e.g. to heartbeat the activity that is waiting. */
  onWait?: () => void;
}

/**
 * The per-company QuickBooks request budget, kept in Postgres so every worker process shares it:
 * a sliding request log (60 s and 1 s windows), leased concurrency slots that come back on their own
 * when a worker dies, and a company-wide hold after a 429. Waiting happens outside any transaction.
 * Throws only database errors.
 */
export function createRealmBudget(options: RealmBudgetOptions): RealmBudget {
  const sql = options.sql ?? (options.db?.$client as Sql | undefined);
  if (!sql) throw new Error('createRealmBudget needs db or sql');
  const limits: BudgetLimits = {
    perMinute: options.perMinute,
    maxInFlight: options.maxInFlight,
    perSecond: options.perSecond ?? 10,
    batchesPerMinute: options.batchesPerMinute ?? 40,
    leaseMs: options.leaseMs ?? 90_000,
    slotPollMs: options.slotPollMs ?? 25,
    minuteWindowMs: 60_000 + (options.windowGuardMs ?? 250),
    secondWindowMs: 1_000 + (options.windowGuardMs ?? 250) / 2,
  };
  let grants = 0;

  return {
    async acquire(realmId, { batch = false } = {}) {
      for (;;) {
        const attempt = await tryTakeSlot(sql, realmId, limits, grants % 25 === 0, batch);
        if (attempt.granted) {
          grants++;
          let released = false;
          return async () => {
            if (released) return;
            released = true;
            await releaseSlot(sql, realmId, attempt.slot, attempt.lease);
          };
        }
        options.onWait?.();
        // A little jitter so waiters from many processes don't all wake on the same millisecond.
        await sleep(attempt.waitMs + Math.floor(Math.random() * 5));
      }
    },
    async backOff(realmId, ms) {
      await holdRealm(sql, realmId, ms);
    },
  };
}
