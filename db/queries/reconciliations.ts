import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { reconciliations } from '../schema';

export type ReconciliationRow = typeof reconciliations.$inferSelect;

/** Stores one run's result; returns its id. */
export async function saveReconciliation(
  db: DbOrTx,
  values: { realmId: string; startedAt: Date; totals: unknown; mismatches: unknown; qboCalls: number },
): Promise<number> {
  const [row] = await db.insert(reconciliations).values(values).returning({ id: reconciliations.id });
  return row.id;
}

/** The company's latest result, or one by id. */
export async function getReconciliation(
  db: DbOrTx,
  realmId: string,
  id?: number,
): Promise<ReconciliationRow | undefined> {
  const [row] = await db
    .select()
    .from(reconciliations)
    .where(
      id === undefined
        ? eq(reconciliations.realmId, realmId)
        : and(eq(reconciliations.realmId, realmId), eq(reconciliations.id, id)),
    )
    .orderBy(desc(reconciliations.id))
    .limit(1);
  return row;
}
