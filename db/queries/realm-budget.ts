import type { Sql } from 'postgres';

/** What one attempt to take a request slot decided. `waitMs`: how long to sleep before trying again. */
export type SlotAttempt =
  | { granted: true; slot: number; lease: string }
  | { granted: false; waitMs: number; why: 'backoff' | 'rate' | 'slots' };

export interface BudgetLimits {
  perMinute: number;
  perSecond: number;
  /** Batch requests per sliding minute (each also counts as one request in the other limits). */
  batchesPerMinute: number;
  maxInFlight: number;
  leaseMs: number;
  /** The sliding windows, each a little longer than QuickBooks' so send-time jitter cannot tip us over. */
  minuteWindowMs: number;
  secondWindowMs: number;
  /** How long to wait before looking for a free slot again when all are leased. */
  slotPollMs: number;
}

/**
 * One short transaction, serialised per company by `pg_advisory_xact_lock(hashtext(realmId))`:
 * checks the company's back-off, the sliding minute and second request logs and the leased slots, and either
 * takes a slot and logs the request, or says how long to wait. Every time is the database's clock.
 */
export async function tryTakeSlot(
  sql: Sql,
  realmId: string,
  limits: BudgetLimits,
  prune: boolean,
  batch = false,
): Promise<SlotAttempt> {
  return sql.begin(async (tx): Promise<SlotAttempt> => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${realmId}))`;

    const [held] = await tx`
      SELECT ceil(extract(epoch FROM backoff_until - clock_timestamp()) * 1000)::int AS wait_ms
      FROM realm_budgets WHERE realm_id = ${realmId} AND backoff_until > clock_timestamp()`;
    if (held) return { granted: false, waitMs: Math.max(1, held.wait_ms), why: 'backoff' };

    const minute = tx`${limits.minuteWindowMs} * interval '1 millisecond'`;
    const second = tx`${limits.secondWindowMs} * interval '1 millisecond'`;
    const [window] = await tx`
      SELECT count(*)::int AS minute_count,
             ceil(extract(epoch FROM min(at) + ${minute} - clock_timestamp()) * 1000)::int AS minute_wait_ms,
             count(*) FILTER (WHERE at >= clock_timestamp() - ${second})::int AS second_count,
             ceil(extract(epoch FROM min(at) FILTER (WHERE at >= clock_timestamp() - ${second})
                  + ${second} - clock_timestamp()) * 1000)::int AS second_wait_ms,
             count(*) FILTER (WHERE batch)::int AS batch_count,
             ceil(extract(epoch FROM min(at) FILTER (WHERE batch) + ${minute} - clock_timestamp()) * 1000)::int
               AS batch_wait_ms
      FROM realm_request_log
      WHERE realm_id = ${realmId} AND at >= clock_timestamp() - ${minute}`;
    if (window.minute_count >= limits.perMinute)
      return { granted: false, waitMs: Math.max(1, window.minute_wait_ms), why: 'rate' };
    if (window.second_count >= limits.perSecond)
      return { granted: false, waitMs: Math.max(1, window.second_wait_ms), why: 'rate' };
    if (batch && window.batch_count >= limits.batchesPerMinute)
      return { granted: false, waitMs: Math.max(1, window.batch_wait_ms), why: 'rate' };

    await tx`
      INSERT INTO realm_slots (realm_id, slot)
      SELECT ${realmId}, s FROM generate_series(0, ${limits.maxInFlight - 1}::int) AS s
      ON CONFLICT DO NOTHING`;
    const [taken] = await tx`
      UPDATE realm_slots SET leased_until = clock_timestamp() + ${limits.leaseMs} * interval '1 millisecond'
      WHERE realm_id = ${realmId} AND slot = (
        SELECT slot FROM realm_slots
        WHERE realm_id = ${realmId} AND slot < ${limits.maxInFlight}
          AND (leased_until IS NULL OR leased_until <= clock_timestamp())
        ORDER BY slot LIMIT 1)
      RETURNING slot, leased_until::text AS lease`;
    if (!taken) {
      const [next] = await tx`
        SELECT ceil(extract(epoch FROM min(leased_until) - clock_timestamp()) * 1000)::int AS wait_ms
        FROM realm_slots WHERE realm_id = ${realmId} AND slot < ${limits.maxInFlight}`;
      const untilLeaseEnds = Math.max(1, next?.wait_ms ?? limits.slotPollMs);
      return { granted: false, waitMs: Math.min(limits.slotPollMs, untilLeaseEnds), why: 'slots' };
    }

    await tx`INSERT INTO realm_request_log (realm_id, at, batch) VALUES (${realmId}, clock_timestamp(), ${batch})`;
    if (prune) {
      await tx`DELETE FROM realm_request_log WHERE realm_id = ${realmId} AND at < clock_timestamp() - interval '2 minutes'`;
    }
    return { granted: true, slot: taken.slot as number, lease: taken.lease as string };
  });
}

/** Gives a slot back, unless its lease ran out and someone else holds it now. */
export async function releaseSlot(sql: Sql, realmId: string, slot: number, lease: string): Promise<void> {
  await sql`
    UPDATE realm_slots SET leased_until = NULL
    WHERE realm_id = ${realmId} AND slot = ${slot} AND leased_until = ${lease}::timestamptz`;
}

/** Holds every request for the company until at least `ms` from now (database clock). */
export async function holdRealm(sql: Sql, realmId: string, ms: number): Promise<void> {
  await sql`
    INSERT INTO realm_budgets (realm_id, backoff_until)
    VALUES (${realmId}, clock_timestamp() + ${ms} * interval '1 millisecond')
    ON CONFLICT (realm_id) DO UPDATE
      SET backoff_until = greatest(realm_budgets.backoff_until, excluded.backoff_until)`;
}
