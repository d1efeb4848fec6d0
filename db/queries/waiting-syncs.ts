import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { companyBookClose, waitingSyncs } from '../schema';

/** Records (or refreshes) that a sync waits for `reason` to clear. */
export async function markWaiting(
  db: DbOrTx,
  syncId: string,
  realmId: string,
  reason: string,
): Promise<void> {
  await db
    .insert(waitingSyncs)
    .values({ syncId, realmId, reason })
    .onConflictDoUpdate({ target: waitingSyncs.syncId, set: { realmId, reason } });
}

/** The sync no longer waits (its cause cleared, or it finished). */
export async function clearWaiting(db: DbOrTx, syncIds: string[]): Promise<void> {
  if (syncIds.length === 0) return;
  await db.delete(waitingSyncs).where(inArray(waitingSyncs.syncId, syncIds));
}

/** Every sync of a company recorded as waiting for `reason`. */
export async function listWaiting(db: DbOrTx, realmId: string, reason: string): Promise<string[]> {
  const rows = await db
    .select({ syncId: waitingSyncs.syncId })
    .from(waitingSyncs)
    .where(and(eq(waitingSyncs.realmId, realmId), eq(waitingSyncs.reason, reason)));
  return rows.map((r) => r.syncId);
}

export type BookClose = typeof companyBookClose.$inferSelect;

export async function getBookClose(db: DbOrTx, realmId: string): Promise<BookClose | undefined> {
  const [row] = await db.select().from(companyBookClose).where(eq(companyBookClose.realmId, realmId));
  return row;
}

/**
 * Claims the right to read the company's book-close date from QuickBooks: true for exactly one caller
 * per `intervalMs` (the row's claim is older than that, or there is no row yet).
 */
export async function claimBookCloseRead(db: DbOrTx, realmId: string, intervalMs: number): Promise<boolean> {
  const rows = await db
    .insert(companyBookClose)
    .values({ realmId, claimedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: companyBookClose.realmId,
      set: { claimedAt: sql`clock_timestamp()` },
      setWhere: sql`${companyBookClose.claimedAt} is null or ${companyBookClose.claimedAt} < clock_timestamp() - make_interval(secs => ${intervalMs / 1000})`,
    })
    .returning({ realmId: companyBookClose.realmId });
  return rows.length > 0;
}

/** Stores the book-close date just read. */
export async function saveBookClose(
  db: DbOrTx,
  realmId: string,
  bookCloseDate: string | null,
): Promise<BookClose> {
  const [row] = await db
    .update(companyBookClose)
    .set({ bookCloseDate, readAt: sql`clock_timestamp()` })
    .where(eq(companyBookClose.realmId, realmId))
    .returning();
  return row;
}
