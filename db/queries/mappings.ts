import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { mappings } from '../schema';

export type Mapping = typeof mappings.$inferSelect;
/** tax_category | income_account | asset_account | expense_account | deposit_account */
export type MappingKind = string;

/** One mapping, or undefined. */
export async function getMapping(
  db: DbOrTx,
  realmId: string,
  kind: MappingKind,
  sourceKey: string,
): Promise<Mapping | undefined> {
  const [row] = await db
    .select()
    .from(mappings)
    .where(and(eq(mappings.realmId, realmId), eq(mappings.kind, kind), eq(mappings.sourceKey, sourceKey)))
    .limit(1);
  return row;
}

/** The first mapping found among `sourceKeys`, in order (e.g. the item type, then 'default'). */
export async function findMapping(
  db: DbOrTx,
  realmId: string,
  kind: MappingKind,
  sourceKeys: string[],
): Promise<Mapping | undefined> {
  const rows = await listMappings(db, realmId, kind);
  for (const key of sourceKeys) {
    const row = rows.find((r) => r.sourceKey === key);
    if (row) return row;
  }
  return undefined;
}

/** Every mapping of one kind for a company. */
export async function listMappings(db: DbOrTx, realmId: string, kind: MappingKind): Promise<Mapping[]> {
  return db
    .select()
    .from(mappings)
    .where(and(eq(mappings.realmId, realmId), eq(mappings.kind, kind)));
}

/** Creates or replaces a mapping. */
export async function upsertMapping(
  db: DbOrTx,
  value: { realmId: string; kind: MappingKind; sourceKey: string; qboId: string; qboName?: string | null },
): Promise<void> {
  const set = { qboId: value.qboId, qboName: value.qboName ?? null, updatedAt: sql`now()` };
  await db
    .insert(mappings)
    .values({ ...value, qboName: value.qboName ?? null })
    .onConflictDoUpdate({ target: [mappings.realmId, mappings.kind, mappings.sourceKey], set });
}
