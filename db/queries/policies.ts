import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { companyPolicies } from '../schema';

/** A company's choices for the cases where QuickBooks already has something. */
export interface CompanyPolicy {
  /** link: link an existing record of the same party; ask: stop and ask a person. */
  onNameCollision: 'link' | 'ask';
  /** reactivate: make an inactive referenced record active again; ask: stop and ask a person. */
  onInactiveReference: 'reactivate' | 'ask';
  /** source: send the source app's invoice number; quickbooks: let QuickBooks number invoices. */
  docNumbers: 'source' | 'quickbooks';
  /**
   * A QuickBooks payment nobody linked (same customer, amount, date window) that another integration or a
   * person entered: link it, ask a person, or create ours anyway.
   */
  onForeignPayment: 'link' | 'ask' | 'create';
}

export const defaultPolicy: CompanyPolicy = {
  onNameCollision: 'link',
  onInactiveReference: 'ask',
  docNumbers: 'source',
  onForeignPayment: 'link',
};

/** The company's policy; a missing row means the defaults. */
export async function getPolicy(db: DbOrTx, realmId: string): Promise<CompanyPolicy> {
  const [row] = await db.select().from(companyPolicies).where(eq(companyPolicies.realmId, realmId)).limit(1);
  if (!row) return { ...defaultPolicy };
  return {
    onNameCollision: row.onNameCollision === 'ask' ? 'ask' : 'link',
    onInactiveReference: row.onInactiveReference === 'reactivate' ? 'reactivate' : 'ask',
    docNumbers: row.docNumbers === 'quickbooks' ? 'quickbooks' : 'source',
    onForeignPayment:
      row.onForeignPayment === 'ask' || row.onForeignPayment === 'create' ? row.onForeignPayment : 'link',
  };
}

/** Sets some of a company's policy choices (the rest keep their current or default values). */
export async function setPolicy(db: DbOrTx, realmId: string, values: Partial<CompanyPolicy>): Promise<void> {
  await db
    .insert(companyPolicies)
    .values({ realmId, ...values })
    .onConflictDoUpdate({ target: companyPolicies.realmId, set: { ...values, updatedAt: sql`now()` } });
}
