import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { desktopConnections, desktopSessions } from '../schema';

export type DesktopConnection = typeof desktopConnections.$inferSelect;

/** Registers (or re-keys) a Desktop company: a new password hash replaces the old one. */
export async function upsertDesktopConnection(
  db: DbOrTx,
  row: Pick<
    DesktopConnection,
    'realmId' | 'companyName' | 'username' | 'passwordHash' | 'ownerId' | 'fileId'
  >,
): Promise<DesktopConnection> {
  const [saved] = await db
    .insert(desktopConnections)
    .values(row)
    .onConflictDoUpdate({
      target: desktopConnections.realmId,
      set: { companyName: row.companyName, username: row.username, passwordHash: row.passwordHash },
    })
    .returning();
  return saved;
}

export async function getDesktopConnection(
  db: DbOrTx,
  realmId: string,
): Promise<DesktopConnection | undefined> {
  const [row] = await db.select().from(desktopConnections).where(eq(desktopConnections.realmId, realmId));
  return row;
}

export async function getDesktopConnectionByUser(
  db: DbOrTx,
  username: string,
): Promise<DesktopConnection | undefined> {
  const [row] = await db.select().from(desktopConnections).where(eq(desktopConnections.username, username));
  return row;
}

export async function listDesktopConnections(db: DbOrTx): Promise<DesktopConnection[]> {
  return db.select().from(desktopConnections).orderBy(desktopConnections.realmId);
}

/** The Web Connector called for this company (with a good password or a live ticket). */
export async function markPolled(db: DbOrTx, realmId: string, error?: string | null): Promise<void> {
  await db
    .update(desktopConnections)
    .set({ lastPolledAt: sql`now()`, ...(error === undefined ? {} : { lastError: error }) })
    .where(eq(desktopConnections.realmId, realmId));
}

/** Keeps the host, company and preferences answers the Web Connector sent at the start of a session. */
export async function saveHostInfo(db: DbOrTx, realmId: string, hostInfo: string): Promise<void> {
  await db.update(desktopConnections).set({ hostInfo }).where(eq(desktopConnections.realmId, realmId));
}

export type DesktopSession = typeof desktopSessions.$inferSelect;

export async function openSession(db: DbOrTx, ticketHash: string, realmId: string): Promise<void> {
  await db.insert(desktopSessions).values({ ticketHash, realmId });
}

/** A live session (not closed, used within `idleMs`) by its ticket's hash; touching it records the call. */
export async function touchSession(
  db: DbOrTx,
  ticketHash: string,
  idleMs: number,
): Promise<DesktopSession | undefined> {
  const [row] = await db
    .update(desktopSessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(
        eq(desktopSessions.ticketHash, ticketHash),
        isNull(desktopSessions.closedAt),
        gt(desktopSessions.lastSeenAt, sql`now() - make_interval(secs => ${idleMs / 1000})`),
      ),
    )
    .returning();
  return row;
}

export async function setSessionError(
  db: DbOrTx,
  ticketHash: string,
  lastError: string | null,
): Promise<void> {
  await db.update(desktopSessions).set({ lastError }).where(eq(desktopSessions.ticketHash, ticketHash));
}

export async function closeSession(db: DbOrTx, ticketHash: string): Promise<void> {
  await db
    .update(desktopSessions)
    .set({ closedAt: sql`now()`, currentRequestId: null })
    .where(eq(desktopSessions.ticketHash, ticketHash));
}
