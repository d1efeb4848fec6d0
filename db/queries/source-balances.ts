import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { sourceBalances } from '../schema';

/** What the source app declares one customer owes, as of a date. */
export interface DeclaredBalance {
  customerSourceId: string;
  balance: number;
  asOf: string;
}

/** Stores declared balances (the newest declaration of a customer replaces the last). */
export async function putSourceBalances(db: DbOrTx, realmId: string, rows: DeclaredBalance[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(sourceBalances)
    .values(rows.map((r) => ({ realmId, ...r, balance: r.balance.toFixed(2) })))
    .onConflictDoUpdate({
      target: [sourceBalances.realmId, sourceBalances.customerSourceId],
      set: { balance: sql`excluded.balance`, asOf: sql`excluded.as_of`, updatedAt: sql`now()` },
    });
}

/** Every declared balance of a company. */
export async function listSourceBalances(db: DbOrTx, realmId: string): Promise<DeclaredBalance[]> {
  const rows = await db.select().from(sourceBalances).where(eq(sourceBalances.realmId, realmId));
  return rows.map((r) => ({
    customerSourceId: r.customerSourceId,
    balance: Number(r.balance),
    asOf: r.asOf,
  }));
}
