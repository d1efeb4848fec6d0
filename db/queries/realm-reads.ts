import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { realmReads } from '../schema';

/** Counts reads made for a company today (UTC). */
export async function countReads(db: DbOrTx, realmId: string, reads = 1): Promise<void> {
  await db
    .insert(realmReads)
    .values({ realmId, day: sql`to_char(now() at time zone 'utc', 'YYYY-MM-DD')`, reads })
    .onConflictDoUpdate({
      target: [realmReads.realmId, realmReads.day],
      set: { reads: sql`${realmReads.reads} + ${reads}` },
    });
}

/** A company's reads today and over the last 30 days. */
export async function readsOf(db: DbOrTx, realmId: string): Promise<{ today: number; last30Days: number }> {
  const [row] = await db
    .select({
      today: sql<number>`coalesce(sum(${realmReads.reads}) filter (where ${realmReads.day} = to_char(now() at time zone 'utc', 'YYYY-MM-DD')), 0)::int`,
      last30Days: sql<number>`coalesce(sum(${realmReads.reads}), 0)::int`,
    })
    .from(realmReads)
    .where(
      and(
        eq(realmReads.realmId, realmId),
        sql`${realmReads.day} >= to_char((now() at time zone 'utc') - interval '30 days', 'YYYY-MM-DD')`,
      ),
    );
  return { today: row?.today ?? 0, last30Days: row?.last30Days ?? 0 };
}
