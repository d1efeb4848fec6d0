import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';

/**
 * The budget design that the one-row budget (connections/realm-budget.ts) replaced, kept only so the bench
 * can measure both on the same machine in the same run: per grant, one transaction under
 * `pg_advisory_xact_lock(hashtext(realmId))` that reads the hold, counts the company's request log over
 * the last minute and second, inserts its slots, leases one and logs the request. Its tables are created
 * in the bench's own database, as they were (db/migrations/0000_initial.sql).
 */
export async function createRequestLogTables(sql: Sql): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS realm_request_log (
    id serial PRIMARY KEY, realm_id text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`;
  await sql`CREATE INDEX IF NOT EXISTS realm_request_log_realm_at ON realm_request_log (realm_id, at)`;
  await sql`CREATE TABLE IF NOT EXISTS realm_slots (
    realm_id text NOT NULL, slot integer NOT NULL, leased_until timestamptz, PRIMARY KEY (realm_id, slot))`;
  await sql`CREATE TABLE IF NOT EXISTS realm_holds (realm_id text PRIMARY KEY, backoff_until timestamptz)`;
}

interface Limits {
  perMinute: number;
  perSecond: number;
  maxInFlight: number;
  leaseMs: number;
}

type Attempt = { granted: true; slot: number; lease: string } | { granted: false; waitMs: number };

async function tryTakeSlot(sql: Sql, realmId: string, limits: Limits, prune: boolean): Promise<Attempt> {
  return sql.begin(async (tx): Promise<Attempt> => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${realmId}))`;
    const [held] = await tx`
      SELECT ceil(extract(epoch FROM backoff_until - clock_timestamp()) * 1000)::int AS wait_ms
      FROM realm_holds WHERE realm_id = ${realmId} AND backoff_until > clock_timestamp()`;
    if (held) return { granted: false, waitMs: Math.max(1, held.wait_ms) };
    const minute = tx`60250 * interval '1 millisecond'`;
    const second = tx`1125 * interval '1 millisecond'`;
    const [window] = await tx`
      SELECT count(*)::int AS minute_count,
             ceil(extract(epoch FROM min(at) + ${minute} - clock_timestamp()) * 1000)::int AS minute_wait_ms,
             count(*) FILTER (WHERE at >= clock_timestamp() - ${second})::int AS second_count,
             ceil(extract(epoch FROM min(at) FILTER (WHERE at >= clock_timestamp() - ${second})
                  + ${second} - clock_timestamp()) * 1000)::int AS second_wait_ms
      FROM realm_request_log
      WHERE realm_id = ${realmId} AND at >= clock_timestamp() - ${minute}`;
    if (window.minute_count >= limits.perMinute)
      return { granted: false, waitMs: Math.max(1, window.minute_wait_ms) };
    if (window.second_count >= limits.perSecond)
      return { granted: false, waitMs: Math.max(1, window.second_wait_ms) };
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
    if (!taken) return { granted: false, waitMs: 25 };
    await tx`INSERT INTO realm_request_log (realm_id, at) VALUES (${realmId}, clock_timestamp())`;
    if (prune)
      await tx`DELETE FROM realm_request_log WHERE realm_id = ${realmId} AND at < clock_timestamp() - interval '2 minutes'`;
    return { granted: true, slot: taken.slot as number, lease: taken.lease as string };
  });
}

/** The old budget's acquire: waits for a slot, returns its release. */
export function createRequestLogBudget(sql: Sql, limits: Limits) {
  let grants = 0;
  return {
    async acquire(realmId: string): Promise<() => Promise<void>> {
      for (;;) {
        const attempt = await tryTakeSlot(sql, realmId, limits, grants % 25 === 0);
        if (attempt.granted) {
          grants++;
          return async () => {
            await sql`
              UPDATE realm_slots SET leased_until = NULL
              WHERE realm_id = ${realmId} AND slot = ${attempt.slot} AND leased_until = ${attempt.lease}::timestamptz`;
          };
        }
        await sleep(attempt.waitMs);
      }
    },
  };
}
