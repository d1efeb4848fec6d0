import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { sourceDocuments } from '../schema';

/** A stored document: the SyncDocument shape, kept as JSON (db/ imports nothing above it). */
export interface StoredDocument {
  realmId: string;
  customer: { sourceId: string; displayName: string };
  invoice: { sourceId: string; version: number; docNumber?: string; txnDate: string };
  lines: { amount: number }[];
  payments: { sourceId: string; txnDate: string; amount: number; reference?: string }[];
}

/**
 * Keeps the newest version of an invoice document the source app sent (an older one changes nothing).
 * Returns true when this is the first document of that invoice stored: a hint that no sync exists yet.
 */
export async function recordSourceDocument(db: DbOrTx, document: StoredDocument): Promise<boolean> {
  const values = {
    realmId: document.realmId,
    invoiceSourceId: document.invoice.sourceId,
    customerSourceId: document.customer.sourceId,
    version: document.invoice.version,
    document,
  };
  const rows = await db
    .insert(sourceDocuments)
    .values(values)
    .onConflictDoUpdate({
      target: [sourceDocuments.realmId, sourceDocuments.invoiceSourceId],
      set: { ...values, updatedAt: sql`now()` },
      setWhere: sql`${sourceDocuments.version} <= excluded.version`,
    })
    // xmax is 0 on a row version an insert made, and set on one an update made.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return rows[0]?.inserted === true;
}

/** Every stored document of a company. */
export async function listSourceDocuments(db: DbOrTx, realmId: string): Promise<StoredDocument[]> {
  const rows = await db
    .select({ document: sourceDocuments.document })
    .from(sourceDocuments)
    .where(eq(sourceDocuments.realmId, realmId));
  return rows.map((r) => r.document as StoredDocument);
}

/** The stored document of one source invoice. */
export async function getSourceDocument(
  db: DbOrTx,
  realmId: string,
  invoiceSourceId: string,
): Promise<StoredDocument | undefined> {
  const [row] = await db
    .select({ document: sourceDocuments.document })
    .from(sourceDocuments)
    .where(and(eq(sourceDocuments.realmId, realmId), eq(sourceDocuments.invoiceSourceId, invoiceSourceId)));
  return row?.document as StoredDocument | undefined;
}

/** The stored document whose payments include this source payment. */
export async function findDocumentWithPayment(
  db: DbOrTx,
  realmId: string,
  paymentSourceId: string,
): Promise<StoredDocument | undefined> {
  const [row] = await db
    .select({ document: sourceDocuments.document })
    .from(sourceDocuments)
    .where(
      and(
        eq(sourceDocuments.realmId, realmId),
        sql`${sourceDocuments.document}->'payments' @> ${JSON.stringify([{ sourceId: paymentSourceId }])}::jsonb`,
      ),
    )
    .limit(1);
  return row?.document as StoredDocument | undefined;
}
