import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client';
import { desktopRequests, desktopSessions } from '../schema';

export type DesktopRequest = typeof desktopRequests.$inferSelect;

/**
 * Puts a qbXML request in the company's queue, or joins the one already there: a write's `requestKey`
 * names one row for good (a resend after a definite failure, a cancel or a loss puts it back in the queue);
 * a request without a key joins an identical one still waiting (a retried step), else a new row.
 */
export async function enqueueRequest(
  db: Db,
  input: { realmId: string; requestKey?: string; bodyHash: string; qbxml: string },
  resend: (row: DesktopRequest) => boolean,
): Promise<DesktopRequest> {
  const { realmId, requestKey, bodyHash, qbxml } = input;
  if (requestKey) {
    await db.insert(desktopRequests).values({ realmId, requestKey, bodyHash, qbxml }).onConflictDoNothing();
    const [row] = await db
      .select()
      .from(desktopRequests)
      .where(and(eq(desktopRequests.realmId, realmId), eq(desktopRequests.requestKey, requestKey)));
    if (!resend(row)) return row;
    const [again] = await db
      .update(desktopRequests)
      .set({
        status: 'queued',
        ticketHash: null,
        response: null,
        sentAt: null,
        answeredAt: null,
        qbxml,
        bodyHash,
      })
      .where(and(eq(desktopRequests.id, row.id), eq(desktopRequests.status, row.status)))
      .returning();
    return again ?? (await getRequest(db, row.id))!;
  }
  const [open] = await db
    .select()
    .from(desktopRequests)
    .where(
      and(
        eq(desktopRequests.realmId, realmId),
        eq(desktopRequests.bodyHash, bodyHash),
        isNull(desktopRequests.requestKey),
        inArray(desktopRequests.status, ['queued', 'sent']),
      ),
    )
    .limit(1);
  if (open) return open;
  const [row] = await db.insert(desktopRequests).values({ realmId, bodyHash, qbxml }).returning();
  return row;
}

export async function getRequest(db: DbOrTx, id: number): Promise<DesktopRequest | undefined> {
  const [row] = await db.select().from(desktopRequests).where(eq(desktopRequests.id, id));
  return row;
}

/** Withdraws a request the Web Connector has not taken yet; says whether it was still queued. */
export async function cancelIfQueued(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .update(desktopRequests)
    .set({ status: 'cancelled' })
    .where(and(eq(desktopRequests.id, id), eq(desktopRequests.status, 'queued')))
    .returning({ id: desktopRequests.id });
  return rows.length > 0;
}

/** How many requests of the company wait for the Web Connector. */
export async function countQueued(db: DbOrTx, realmId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(desktopRequests)
    .where(and(eq(desktopRequests.realmId, realmId), eq(desktopRequests.status, 'queued')));
  return row?.n ?? 0;
}

/**
 * Hands the company's oldest queued request to the session (marks it sent and the session's current one),
 * unless the session already holds one unanswered: then that one again. Undefined when none waits.
 */
export async function takeNextRequest(
  db: Db,
  realmId: string,
  ticketHash: string,
): Promise<DesktopRequest | undefined> {
  return db.transaction(async (tx) => {
    const [session] = await tx
      .select()
      .from(desktopSessions)
      .where(eq(desktopSessions.ticketHash, ticketHash))
      .for('update');
    if (session?.currentRequestId) {
      const current = await getRequest(tx, session.currentRequestId);
      if (current?.status === 'sent' && current.ticketHash === ticketHash) return current;
    }
    const [next] = await tx
      .select()
      .from(desktopRequests)
      .where(and(eq(desktopRequests.realmId, realmId), eq(desktopRequests.status, 'queued')))
      .orderBy(asc(desktopRequests.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!next) return undefined;
    const [sent] = await tx
      .update(desktopRequests)
      .set({ status: 'sent', ticketHash, sentAt: new Date() })
      .where(eq(desktopRequests.id, next.id))
      .returning();
    await tx
      .update(desktopSessions)
      .set({ currentRequestId: sent.id })
      .where(eq(desktopSessions.ticketHash, ticketHash));
    return sent;
  });
}

/** Stores the answer to the session's current request; false when it holds none (a stray answer). */
export async function answerCurrentRequest(db: Db, ticketHash: string, response: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [session] = await tx
      .select()
      .from(desktopSessions)
      .where(eq(desktopSessions.ticketHash, ticketHash))
      .for('update');
    if (!session?.currentRequestId) return false;
    const rows = await tx
      .update(desktopRequests)
      .set({ status: 'answered', response, answeredAt: new Date() })
      .where(
        and(
          eq(desktopRequests.id, session.currentRequestId),
          eq(desktopRequests.status, 'sent'),
          eq(desktopRequests.ticketHash, ticketHash),
        ),
      )
      .returning({ id: desktopRequests.id });
    await tx
      .update(desktopSessions)
      .set({ currentRequestId: null })
      .where(eq(desktopSessions.ticketHash, ticketHash));
    return rows.length > 0;
  });
}

/** QuickBooks' request processor refused the session's current request whole (nothing was applied). */
export async function failCurrentRequest(db: Db, ticketHash: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [session] = await tx
      .select()
      .from(desktopSessions)
      .where(eq(desktopSessions.ticketHash, ticketHash))
      .for('update');
    if (!session?.currentRequestId) return;
    await tx
      .update(desktopRequests)
      .set({ status: 'failed', response: reason, answeredAt: new Date() })
      .where(
        and(
          eq(desktopRequests.id, session.currentRequestId),
          eq(desktopRequests.status, 'sent'),
          eq(desktopRequests.ticketHash, ticketHash),
        ),
      );
    await tx
      .update(desktopSessions)
      .set({ currentRequestId: null })
      .where(eq(desktopSessions.ticketHash, ticketHash));
  });
}

/**
 * Requests handed out and never answered are lost: QuickBooks may or may not have applied them, so their
 * steps look before sending again. `session`: only that (ended) session's; `except`: every other
 * session's (a new session means the earlier ones are over).
 */
export async function loseUnanswered(
  db: DbOrTx,
  realmId: string,
  which: { session: string } | { except: string },
): Promise<number> {
  const rows = await db
    .update(desktopRequests)
    .set({ status: 'lost' })
    .where(
      and(
        eq(desktopRequests.realmId, realmId),
        eq(desktopRequests.status, 'sent'),
        'session' in which
          ? eq(desktopRequests.ticketHash, which.session)
          : ne(desktopRequests.ticketHash, which.except),
      ),
    )
    .returning({ id: desktopRequests.id });
  return rows.length;
}

/** Answered requests of the company since `since` (the progress the Web Connector shows). */
export async function countAnsweredSince(db: DbOrTx, realmId: string, ticketHash: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(desktopRequests)
    .where(
      and(
        eq(desktopRequests.realmId, realmId),
        eq(desktopRequests.ticketHash, ticketHash),
        eq(desktopRequests.status, 'answered'),
      ),
    );
  return row?.n ?? 0;
}
