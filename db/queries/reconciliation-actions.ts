import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { reconciliationActions } from '../schema';

export type ReconciliationAction = typeof reconciliationActions.$inferSelect;
export type ActionKind = 'void_duplicate' | 'resync' | 'link' | 'create_payment_anyway';

/**
 * Records an action under its idempotency key. Returns the row and whether this call created it: a
 * second call with the same key gets the first row back and must not act again.
 */
export async function claimAction(
  db: DbOrTx,
  values: { idempotencyKey: string; realmId: string; kind: ActionKind; target: unknown },
): Promise<{ action: ReconciliationAction; created: boolean }> {
  const [inserted] = await db
    .insert(reconciliationActions)
    .values({ ...values, status: 'started' })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { action: inserted, created: true };
  const [existing] = await db
    .select()
    .from(reconciliationActions)
    .where(eq(reconciliationActions.idempotencyKey, values.idempotencyKey));
  return { action: existing, created: false };
}

/** Stores how an action ended. */
export async function finishAction(
  db: DbOrTx,
  idempotencyKey: string,
  status: 'done' | 'failed',
  result: unknown,
): Promise<ReconciliationAction> {
  const [row] = await db
    .update(reconciliationActions)
    .set({ status, result, updatedAt: sql`now()` })
    .where(eq(reconciliationActions.idempotencyKey, idempotencyKey))
    .returning();
  return row;
}

/** The action recorded under a key, if any. */
export async function getAction(
  db: DbOrTx,
  idempotencyKey: string,
): Promise<ReconciliationAction | undefined> {
  const [row] = await db
    .select()
    .from(reconciliationActions)
    .where(eq(reconciliationActions.idempotencyKey, idempotencyKey));
  return row;
}

/** A company's actions of one kind, newest first. */
export async function listActions(db: DbOrTx, realmId: string, kind?: ActionKind, limit = 200) {
  return db
    .select()
    .from(reconciliationActions)
    .where(
      kind
        ? and(eq(reconciliationActions.realmId, realmId), eq(reconciliationActions.kind, kind))
        : eq(reconciliationActions.realmId, realmId),
    )
    .orderBy(desc(reconciliationActions.createdAt))
    .limit(limit);
}

/** The key of a person's "create this payment anyway" decision: one per company and source payment. */
export function createAnywayKey(realmId: string, paymentSourceId: string): string {
  return `create-anyway:${realmId}:${paymentSourceId}`;
}
