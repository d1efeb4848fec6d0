import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { adminSessions } from '../schema';

/** Stores a new session (by the hash of its id) that ends at the latest after `maxMs`. */
export async function insertAdminSession(
  db: DbOrTx,
  session: { idHash: string; principal: string; maxMs: number },
): Promise<void> {
  await db.insert(adminSessions).values({
    idHash: session.idHash,
    principal: session.principal,
    expiresAt: sql`now() + ${session.maxMs} * interval '1 millisecond'`,
  });
  // Sessions ended a day ago are useless; clearing them here keeps the table small without a cron.
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, sql`now() - interval '1 day'`));
}

const alive = (idHash: string, idleMs: number) =>
  and(
    eq(adminSessions.idHash, idHash),
    isNull(adminSessions.revokedAt),
    gt(adminSessions.expiresAt, sql`now()`),
    gt(adminSessions.lastSeenAt, sql`now() - ${idleMs} * interval '1 millisecond'`),
  );

/** Marks a live session as used now and returns its principal; undefined when revoked, expired or idle too long. */
export async function touchAdminSession(
  db: DbOrTx,
  idHash: string,
  idleMs: number,
): Promise<string | undefined> {
  const rows = await db
    .update(adminSessions)
    .set({ lastSeenAt: sql`now()` })
    .where(alive(idHash, idleMs))
    .returning({ principal: adminSessions.principal });
  return rows[0]?.principal;
}

/** The principal of a live session, without touching it. */
export async function liveAdminSession(
  db: DbOrTx,
  idHash: string,
  idleMs: number,
): Promise<string | undefined> {
  const rows = await db
    .select({ principal: adminSessions.principal })
    .from(adminSessions)
    .where(alive(idHash, idleMs));
  return rows[0]?.principal;
}

/** Ends a session for good (logout): its cookie stops working at once, in every API process. */
export async function revokeAdminSession(db: DbOrTx, idHash: string): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(adminSessions.idHash, idHash), isNull(adminSessions.revokedAt)));
}
