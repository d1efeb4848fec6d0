import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { links } from '../schema';

export type Link = typeof links.$inferSelect;
export type LinkEntity = 'Customer' | 'Item' | 'Invoice' | 'Payment';

/** What identifies a link: one per company, entity type and source record. */
export interface LinkKey {
  realmId: string;
  entityType: LinkEntity;
  sourceId: string;
}

/** The where-clause of the one link a key names (realm + entity type + source id: the unique index). */
export function byLinkKey(key: LinkKey) {
  return and(
    eq(links.realmId, key.realmId),
    eq(links.entityType, key.entityType),
    eq(links.sourceId, key.sourceId),
  );
}

const conflictTarget = [links.realmId, links.entityType, links.sourceId];

/** The link for a source record, if any. */
export async function getLink(db: DbOrTx, key: LinkKey): Promise<Link | undefined> {
  const [row] = await db.select().from(links).where(byLinkKey(key)).limit(1);
  return row;
}

/**
 * Records that a create is about to be sent (status `pending`) with the marker to look it up by and the
 * hash of what is sent. Returns the row: its `updatedAt` seeds the create's requestid, so the id is stable
 * across retries of this pending create and new after a definite failure.
 */
export async function markPending(
  db: DbOrTx,
  key: LinkKey,
  values: { marker: string; sourceHash: string; sourceVersion?: number; parentSourceId?: string },
): Promise<Link> {
  const set = {
    status: 'pending',
    qboId: null,
    syncToken: null,
    marker: values.marker,
    sourceHash: values.sourceHash,
    sourceVersion: values.sourceVersion ?? null,
    parentSourceId: values.parentSourceId ?? null,
    linkedBy: 'sync',
    updatedAt: sql`clock_timestamp()`,
  };
  const [row] = await db
    .insert(links)
    .values({ ...key, ...set })
    .onConflictDoUpdate({ target: conflictTarget, set })
    .returning();
  return row;
}

/** A create failed for sure (QuickBooks answered no): nothing is pending any more. */
export async function markFailed(db: DbOrTx, key: LinkKey): Promise<void> {
  await db
    .update(links)
    .set({ status: 'failed', updatedAt: sql`clock_timestamp()` })
    .where(and(byLinkKey(key), eq(links.status, 'pending')));
}

/** Stores a confirmed link (created, found or chosen by a person). */
export async function markLinked(
  db: DbOrTx,
  key: LinkKey,
  values: {
    qboId: string | null;
    syncToken: string | null;
    sourceHash: string | null;
    // foreign: a payment another integration or a person entered, linked instead of creating ours
    linkedBy: 'sync' | 'admin' | 'manual' | 'foreign';
    sourceVersion?: number | null;
    parentSourceId?: string | null;
    marker?: string | null;
    /** Our fields as QuickBooks returned them (sync/drift.ts); a new link starts with no drift. */
    written?: unknown;
  },
): Promise<Link> {
  const set: Partial<typeof links.$inferInsert> = {
    status: 'linked',
    qboId: values.qboId,
    syncToken: values.syncToken,
    sourceHash: values.sourceHash,
    linkedBy: values.linkedBy,
    updatedAt: new Date(),
  };
  if (values.sourceVersion !== undefined) set.sourceVersion = values.sourceVersion;
  if (values.parentSourceId !== undefined) set.parentSourceId = values.parentSourceId;
  if (values.marker !== undefined) set.marker = values.marker;
  if (values.written !== undefined)
    Object.assign(set, { written: values.written, drift: null, driftSeenAt: null });
  const [row] = await db
    .insert(links)
    .values({ ...key, ...set } as typeof links.$inferInsert)
    .onConflictDoUpdate({ target: conflictTarget, set })
    .returning();
  return row;
}

/** After an update: the record's new SyncToken and the hash of what it now holds. */
export async function recordUpdate(
  db: DbOrTx,
  key: LinkKey,
  values: { syncToken: string; sourceHash: string; sourceVersion?: number | null; written?: unknown },
): Promise<void> {
  await db
    .update(links)
    .set({
      syncToken: values.syncToken,
      sourceHash: values.sourceHash,
      // Our write makes QuickBooks match the source again: whatever drifted before is overwritten.
      ...(values.written !== undefined ? { written: values.written, drift: null, driftSeenAt: null } : {}),
      ...(values.sourceVersion !== undefined ? { sourceVersion: values.sourceVersion } : {}),
      updatedAt: sql`clock_timestamp()`,
    })
    .where(byLinkKey(key));
}

/** A payment (or invoice) was voided in QuickBooks: its link stays, marked voided. */
export async function markVoided(db: DbOrTx, key: LinkKey, syncToken: string): Promise<void> {
  await db
    .update(links)
    .set({ status: 'voided', syncToken, updatedAt: sql`clock_timestamp()` })
    .where(byLinkKey(key));
}

/** The payment links of one source invoice (any status). */
export async function listPaymentLinks(
  db: DbOrTx,
  realmId: string,
  invoiceSourceId: string,
): Promise<Link[]> {
  return db
    .select()
    .from(links)
    .where(
      and(
        eq(links.realmId, realmId),
        eq(links.entityType, 'Payment'),
        eq(links.parentSourceId, invoiceSourceId),
      ),
    );
}

/** Which of these QuickBooks ids some link of the company points at (any status). */
export async function linkedQboIds(
  db: DbOrTx,
  realmId: string,
  entityType: LinkEntity,
  qboIds: string[],
): Promise<Set<string>> {
  if (qboIds.length === 0) return new Set();
  const rows = await db
    .select({ qboId: links.qboId })
    .from(links)
    .where(and(eq(links.realmId, realmId), eq(links.entityType, entityType), inArray(links.qboId, qboIds)));
  return new Set(rows.map((r) => r.qboId!));
}

/** Every link of a company (reconciliation reads them all at once). */
export async function listLinks(db: DbOrTx, realmId: string): Promise<Link[]> {
  return db.select().from(links).where(eq(links.realmId, realmId));
}

/**
 * A person asked to re-create a record that is missing in QuickBooks (`recreate`: the next sync creates
 * it again) or to put the source amounts back (`rewrite`: the next sync sends its fields again).
 */
export async function prepareResync(db: DbOrTx, key: LinkKey, how: 'recreate' | 'rewrite'): Promise<void> {
  await db
    .update(links)
    .set(
      how === 'recreate'
        ? { status: 'failed', updatedAt: sql`clock_timestamp()` }
        : { sourceHash: null, updatedAt: sql`clock_timestamp()` },
    )
    .where(byLinkKey(key));
}
