import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { authFailures } from '../schema';

/** The start of the fixed window `now` falls in, as SQL. */
const windowStart = (windowMs: number) =>
  sql`to_timestamp(floor(extract(epoch from now()) * 1000 / ${windowMs}) * ${windowMs} / 1000.0)`;

/** Each bucket's failures in the current window (buckets with none are absent), and seconds until it ends. */
export async function currentFailures(
  db: DbOrTx,
  buckets: string[],
  windowMs: number,
): Promise<{ bucket: string; failures: number; resetsInSeconds: number }[]> {
  const rows = await db
    .select({
      bucket: authFailures.bucket,
      failures: authFailures.failures,
      resetsInSeconds: sql<number>`ceil(extract(epoch from (${authFailures.windowStart} + ${windowMs} * interval '1 millisecond' - now())))::int`,
    })
    .from(authFailures)
    .where(and(inArray(authFailures.bucket, buckets), gte(authFailures.windowStart, windowStart(windowMs))));
  return rows;
}

/** Counts one refused authentication against each bucket in the current window. */
export async function recordFailure(db: DbOrTx, buckets: string[], windowMs: number): Promise<void> {
  await db
    .insert(authFailures)
    .values(buckets.map((bucket) => ({ bucket, windowStart: windowStart(windowMs), failures: 1 })))
    .onConflictDoUpdate({
      target: [authFailures.bucket, authFailures.windowStart],
      set: { failures: sql`${authFailures.failures} + 1` },
    });
  // Past windows are useless; clearing them here keeps the table small without a cron.
  await db
    .delete(authFailures)
    .where(lt(authFailures.windowStart, sql`now() - ${windowMs * 2} * interval '1 millisecond'`));
}
