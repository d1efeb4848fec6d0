import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { links } from '../schema';
import { byLinkKey, type Link, type LinkKey } from './links';

/** Every link of one entity type for a company (the item or customer mappings), oldest first. */
export async function listLinks(
  db: DbOrTx,
  realmId: string,
  entityType: LinkKey['entityType'],
): Promise<Link[]> {
  return db
    .select()
    .from(links)
    .where(and(eq(links.realmId, realmId), eq(links.entityType, entityType)))
    .orderBy(asc(links.sourceId));
}

/**
 * Removes a link an administrator made (linkedBy admin). Links qbo-sync made itself are the exactly-once
 * ledger and are never removed here. Returns what was removed, or undefined.
 */
export async function deleteAdminLink(db: DbOrTx, key: LinkKey): Promise<Link | undefined> {
  const [row] = await db
    .delete(links)
    .where(and(byLinkKey(key), eq(links.linkedBy, 'admin')))
    .returning();
  return row;
}
