import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { quickbooksEvents } from '../schema';

export type QuickbooksEvent = typeof quickbooksEvents.$inferSelect;
export type NewQuickbooksEvent = Omit<typeof quickbooksEvents.$inferInsert, 'receivedAt' | 'processedAt'>;

/** Records events once each (by event id); returns the ones that were new. */
export async function recordEvents(db: DbOrTx, events: NewQuickbooksEvent[]): Promise<NewQuickbooksEvent[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insert(quickbooksEvents)
    .values(events)
    .onConflictDoNothing({ target: quickbooksEvents.eventId })
    .returning({ eventId: quickbooksEvents.eventId });
  const fresh = new Set(rows.map((r) => r.eventId));
  return events.filter((e) => fresh.has(e.eventId));
}

/** A company's events not processed yet, oldest first. */
export async function unprocessedEvents(
  db: DbOrTx,
  realmId: string,
  limit = 1000,
): Promise<QuickbooksEvent[]> {
  return db
    .select()
    .from(quickbooksEvents)
    .where(and(eq(quickbooksEvents.realmId, realmId), isNull(quickbooksEvents.processedAt)))
    .orderBy(asc(quickbooksEvents.occurredAt))
    .limit(limit);
}

export async function markEventsProcessed(db: DbOrTx, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .update(quickbooksEvents)
    .set({ processedAt: sql`clock_timestamp()` })
    .where(inArray(quickbooksEvents.eventId, eventIds));
}

/** Every recorded event of a company (tests and diagnostics). */
export async function listEvents(db: DbOrTx, realmId: string): Promise<QuickbooksEvent[]> {
  return db
    .select()
    .from(quickbooksEvents)
    .where(eq(quickbooksEvents.realmId, realmId))
    .orderBy(asc(quickbooksEvents.receivedAt));
}
