import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { links } from '../schema';
import { byLinkKey, type Link, type LinkKey } from './links';

/** The links of a company pointing at these QuickBooks records of one entity type. */
export async function linksByQboIds(
  db: DbOrTx,
  realmId: string,
  entityType: string,
  qboIds: string[],
): Promise<Link[]> {
  if (qboIds.length === 0) return [];
  return db
    .select()
    .from(links)
    .where(and(eq(links.realmId, realmId), eq(links.entityType, entityType), inArray(links.qboId, qboIds)));
}

/**
 * Records drift on a link. The time it was seen is kept while the same drift is seen again (a webhook and
 * the sweep both report it); a different drift replaces it.
 */
export async function recordDrift(
  db: DbOrTx,
  linkId: number,
  drift: object,
  sameAs: unknown,
): Promise<boolean> {
  const same = JSON.stringify(comparable(sameAs)) === JSON.stringify(comparable(drift));
  if (same) return false;
  await db
    .update(links)
    .set({ drift, driftSeenAt: sql`clock_timestamp()` })
    .where(eq(links.id, linkId));
  return true;
}

function comparable(drift: unknown) {
  if (!drift || typeof drift !== 'object') return null;
  const d = drift as Record<string, unknown>;
  return { kind: d.kind, fields: d.fields ?? null, mergedInto: d.mergedInto ?? null };
}

/** A person decided what to do with a drifted record: stored on the link for the next sync to act on. */
export async function decideDrift(db: DbOrTx, key: LinkKey, decision: string): Promise<boolean> {
  const rows = await db
    .update(links)
    .set({ drift: sql`${links.drift} || ${JSON.stringify({ decision })}::jsonb` })
    .where(and(byLinkKey(key), isNotNull(links.drift)))
    .returning({ id: links.id });
  return rows.length > 0;
}

/** The drift is dealt with (re-created, overwritten or accepted). */
export async function clearDrift(db: DbOrTx, key: LinkKey): Promise<void> {
  await db.update(links).set({ drift: null, driftSeenAt: null }).where(byLinkKey(key));
}

/** Re-create: forget the QuickBooks record, so the next write creates a new one (a new requestid). */
export async function forgetQboRecord(db: DbOrTx, key: LinkKey): Promise<void> {
  await db
    .update(links)
    .set({
      status: 'failed',
      qboId: null,
      syncToken: null,
      sourceHash: null,
      written: null,
      drift: null,
      driftSeenAt: null,
      updatedAt: sql`clock_timestamp()`,
    })
    .where(byLinkKey(key));
}

/** A company's drifted links, newest first. */
export async function listDrift(db: DbOrTx, realmId: string, limit = 200): Promise<Link[]> {
  return db
    .select()
    .from(links)
    .where(and(eq(links.realmId, realmId), isNotNull(links.drift)))
    .orderBy(desc(links.driftSeenAt))
    .limit(limit);
}

/** Overwrite: the next write sends our fields whatever the hash says; the drift is then cleared by it. */
export async function forceOverwrite(db: DbOrTx, key: LinkKey): Promise<void> {
  await db.update(links).set({ sourceHash: null, drift: null, driftSeenAt: null }).where(byLinkKey(key));
}

/** The source version a link is known to match (nothing of ours changed in it). */
export async function noteSourceVersion(db: DbOrTx, key: LinkKey, version: number): Promise<void> {
  await db.update(links).set({ sourceVersion: version }).where(byLinkKey(key));
}
