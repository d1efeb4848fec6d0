import type { Sql } from 'postgres';

/** What one attempt to take a request slot decided. `waitMs`: how long to sleep before trying again. */
export type SlotAttempt =
  | { granted: true; slot: number; lease: string }
  | { granted: false; waitMs: number }
  | { granted: false; missing: true };

export interface BudgetLimits {
  /** GCRA spacing of the per-minute limit (ms) and how far ahead of it a burst may run (ms). */
  minuteIntervalMs: number;
  minuteToleranceMs: number;
  perSecond: number;
  secondWindowMs: number;
  /** Batch requests per sliding minute (each also counts as one request in the other limits). */
  batchesPerMinute: number;
  minuteWindowMs: number;
  maxInFlight: number;
  leaseMs: number;
  /** How long to wait before looking for a free slot again when all are leased. */
  slotPollMs: number;
  /** How often a waiter looks again while a probe is out (it may answer at any moment). */
  probePollMs: number;
}

/** How holds grow after a 429 that names no wait. */
export interface ThrottleHolds {
  firstHoldMs: number;
  maxHoldMs: number;
}

/**
 * One UPDATE of the company's row (so it is serialised per company by the row lock, and every time is the
 * database's clock read after that lock): checks the hold, the per-minute GCRA, the exact sliding second,
 * the batches of the sliding minute and the leased slots, and either takes a slot or says how long to
 * wait. Every attempt writes the row, so a waiter for the lock re-reads it with a fresh clock. After a
 * throttle the first grant past the hold is the probe: nobody else goes until it answers (or its lease
 * ends). `missing`: the company has no row yet (see ensureRealmBudget).
 */
export async function tryTakeSlot(
  sql: Sql,
  realmId: string,
  limits: BudgetLimits,
  batch: boolean,
): Promise<SlotAttempt> {
  const l = limits;
  // unsafe() only for the numbered parameters: the statement is constant and every value is bound.
  const [row] = await sql.unsafe(
    `
    UPDATE realm_budgets AS b
    SET (minute_tat, recent_grants, recent_batches, leases, backoff_until, probe_lease, last_slot, last_wait_ms) = (
      SELECT
        CASE WHEN d.granted THEN greatest(coalesce(b.minute_tat, n.now), n.now) + $6::float8 * interval '1 millisecond'
             ELSE b.minute_tat END,
        CASE WHEN d.granted
             THEN (b.recent_grants || n.now)[greatest(1, cardinality(b.recent_grants) + 2 - $2::int):]
             ELSE b.recent_grants END,
        CASE WHEN d.granted AND $3::boolean
             THEN (b.recent_batches || n.now)[greatest(1, cardinality(b.recent_batches) + 2 - $4::int):]
             ELSE b.recent_batches END,
        CASE WHEN d.granted
             THEN ARRAY(SELECT CASE WHEN i = s.slot THEN n.lease ELSE b.leases[i] END
                        FROM generate_series(1, greatest($5::int, cardinality(b.leases))) AS i ORDER BY i)
             ELSE b.leases END,
        CASE WHEN d.granted AND d.probe THEN n.lease ELSE b.backoff_until END,
        CASE WHEN d.granted AND d.probe THEN n.lease ELSE b.probe_lease END,
        CASE WHEN d.granted THEN s.slot END,
        CASE WHEN d.granted THEN 0
             WHEN w.rate_ms > 0 THEN ceil(w.rate_ms)::int
             ELSE least($11::int, greatest(1, ceil(
                    extract(epoch FROM (SELECT min(x) FROM unnest(b.leases) AS x) - n.now) * 1000))::int)
        END
      FROM (SELECT clock_timestamp() AS now,
                   clock_timestamp() + $10::float8 * interval '1 millisecond' AS lease) AS n
      CROSS JOIN LATERAL (SELECT
          CASE WHEN b.backoff_until > n.now THEN
                 CASE WHEN b.probe_lease IS NOT NULL AND b.probe_lease = b.backoff_until
                      THEN least($12::float8, extract(epoch FROM b.backoff_until - n.now) * 1000)
                      ELSE extract(epoch FROM b.backoff_until - n.now) * 1000 END
               ELSE 0 END AS hold_ms,
          greatest(0, extract(epoch FROM b.minute_tat - n.now) * 1000 - $7::float8) AS minute_ms,
          CASE WHEN cardinality(b.recent_grants) >= $2::int THEN greatest(0, extract(epoch FROM
                 b.recent_grants[cardinality(b.recent_grants) + 1 - $2::int] + $8::float8 * interval '1 millisecond' - n.now) * 1000)
               ELSE 0 END AS second_ms,
          CASE WHEN $3::boolean AND cardinality(b.recent_batches) >= $4::int THEN greatest(0, extract(epoch FROM
                 b.recent_batches[cardinality(b.recent_batches) + 1 - $4::int] + $9::float8 * interval '1 millisecond' - n.now) * 1000)
               ELSE 0 END AS batch_ms
        ) AS r
      CROSS JOIN LATERAL (SELECT greatest(r.hold_ms, coalesce(r.minute_ms, 0), r.second_ms, r.batch_ms) AS rate_ms) AS w
      CROSS JOIN LATERAL (SELECT min(i) AS slot FROM generate_series(1, $5::int) AS i
                          WHERE b.leases[i] IS NULL OR b.leases[i] <= n.now) AS s
      CROSS JOIN LATERAL (SELECT w.rate_ms = 0 AND s.slot IS NOT NULL AS granted,
                                 b.throttle_strikes > 0 OR b.probe_lease IS NOT NULL AS probe) AS d
    )
    WHERE b.realm_id = $1
    RETURNING last_slot, last_wait_ms, leases[last_slot]::text AS lease`,
    [
      realmId,
      l.perSecond,
      batch,
      l.batchesPerMinute,
      l.maxInFlight,
      l.minuteIntervalMs,
      l.minuteToleranceMs,
      l.secondWindowMs,
      l.minuteWindowMs,
      l.leaseMs,
      l.slotPollMs,
      l.probePollMs,
    ],
    { prepare: true },
  );
  if (!row) return { granted: false, missing: true };
  if (row.last_slot === null) return { granted: false, waitMs: Math.max(1, row.last_wait_ms as number) };
  return { granted: true, slot: row.last_slot as number, lease: row.lease as string };
}

/** Creates the company's budget row if it has none. */
export async function ensureRealmBudget(sql: Sql, realmId: string): Promise<void> {
  await sql`INSERT INTO realm_budgets (realm_id) VALUES (${realmId}) ON CONFLICT DO NOTHING`;
}

/**
 * Gives a slot back, unless its lease ran out and someone else holds it now. If it was the probe and
 * QuickBooks answered, the hold ends for everyone.
 */
export async function releaseSlot(sql: Sql, realmId: string, slot: number, lease: string): Promise<void> {
  await sql`
    UPDATE realm_budgets SET
      leases[${slot}::int] = CASE WHEN leases[${slot}::int] = ${lease}::timestamptz THEN NULL
                                  ELSE leases[${slot}::int] END,
      throttle_strikes = CASE WHEN probe_lease = ${lease}::timestamptz THEN 0 ELSE throttle_strikes END,
      backoff_until = CASE WHEN probe_lease = ${lease}::timestamptz AND backoff_until = probe_lease THEN NULL
                           ELSE backoff_until END,
      probe_lease = CASE WHEN probe_lease = ${lease}::timestamptz THEN NULL ELSE probe_lease END
    WHERE realm_id = ${realmId}`;
}

/**
 * Gives back a slot whose request was never sent: its lease, its share of the per-minute GCRA and its place
 * among the minute's batches (an unsent request costs QuickBooks nothing). Its stamp stays in the sliding
 * second, which costs a slot of that second, never a 429. If it was the probe after a hold, the hold ends
 * but the next grant is the probe again (the strikes are kept), so nobody goes beside it until QuickBooks
 * has answered one.
 */
export async function releaseUnused(
  sql: Sql,
  realmId: string,
  slot: number,
  lease: string,
  limits: Pick<BudgetLimits, 'minuteIntervalMs' | 'leaseMs'>,
): Promise<void> {
  await sql`
    UPDATE realm_budgets SET
      leases[${slot}::int] = CASE WHEN leases[${slot}::int] = ${lease}::timestamptz THEN NULL
                                  ELSE leases[${slot}::int] END,
      minute_tat = greatest(minute_tat - ${limits.minuteIntervalMs}::float8 * interval '1 millisecond',
                            clock_timestamp()),
      recent_batches = array_remove(recent_batches,
                                    ${lease}::timestamptz - ${limits.leaseMs}::float8 * interval '1 millisecond'),
      backoff_until = CASE WHEN probe_lease = ${lease}::timestamptz AND backoff_until = probe_lease THEN NULL
                           ELSE backoff_until END,
      probe_lease = CASE WHEN probe_lease = ${lease}::timestamptz THEN NULL ELSE probe_lease END
    WHERE realm_id = ${realmId}`;
}

/**
 * Gives a slot back after QuickBooks throttled its request, and holds the company: for `retryAfterMs` when
 * QuickBooks named a wait, else for a hold that starts short and doubles each time the probe is refused.
 * A 429 for a request sent before the hold began (the probe not being it) does not lengthen the hold.
 */
export async function releaseThrottled(
  sql: Sql,
  realmId: string,
  slot: number,
  lease: string,
  retryAfterMs: number | undefined,
  holds: ThrottleHolds,
): Promise<void> {
  const named = retryAfterMs ?? null;
  await sql`
    UPDATE realm_budgets AS b SET
      leases[${slot}::int] = CASE WHEN b.leases[${slot}::int] = ${lease}::timestamptz THEN NULL
                                  ELSE b.leases[${slot}::int] END,
      throttle_strikes = h.strikes,
      backoff_until = CASE
        WHEN h.mine THEN h.now + h.hold_ms * interval '1 millisecond'
        WHEN ${named}::float8 IS NOT NULL OR b.throttle_strikes = 0
          THEN greatest(b.backoff_until, h.now + h.hold_ms * interval '1 millisecond')
        ELSE b.backoff_until END,
      probe_lease = CASE WHEN h.mine THEN NULL ELSE b.probe_lease END
    FROM (
      SELECT s.*, coalesce(${named}::float8,
                           least(${holds.maxHoldMs}::float8, ${holds.firstHoldMs}::float8 * 2 ^ (s.strikes - 1))) AS hold_ms
      FROM (
        SELECT clock_timestamp() AS now, t.mine,
               CASE WHEN ${named}::float8 IS NOT NULL THEN greatest(t.throttle_strikes, 1)
                    WHEN t.mine THEN t.throttle_strikes + 1
                    WHEN t.throttle_strikes = 0 THEN 1
                    ELSE t.throttle_strikes END AS strikes
        FROM (SELECT throttle_strikes, coalesce(probe_lease = ${lease}::timestamptz, false) AS mine
              FROM realm_budgets WHERE realm_id = ${realmId} FOR UPDATE) AS t
      ) AS s
    ) AS h
    WHERE b.realm_id = ${realmId}`;
}

/** Holds every request for the company until at least `ms` from now (database clock). */
export async function holdRealm(sql: Sql, realmId: string, ms: number): Promise<void> {
  await sql`
    INSERT INTO realm_budgets (realm_id, backoff_until)
    VALUES (${realmId}, clock_timestamp() + ${ms} * interval '1 millisecond')
    ON CONFLICT (realm_id) DO UPDATE
      SET backoff_until = greatest(realm_budgets.backoff_until, excluded.backoff_until)`;
}
