import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { mappings } from '../schema';
import type { Mapping, MappingKind } from './mappings';

/** Every mapping of a company, all kinds. */
export async function listAllMappings(db: DbOrTx, realmId: string): Promise<Mapping[]> {
  return db.select().from(mappings).where(eq(mappings.realmId, realmId));
}

/** Removes one mapping; returns true when there was one. */
export async function deleteMapping(
  db: DbOrTx,
  realmId: string,
  kind: MappingKind,
  sourceKey: string,
): Promise<boolean> {
  const rows = await db
    .delete(mappings)
    .where(and(eq(mappings.realmId, realmId), eq(mappings.kind, kind), eq(mappings.sourceKey, sourceKey)))
    .returning({ sourceKey: mappings.sourceKey });
  return rows.length > 0;
}
