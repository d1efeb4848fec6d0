import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { connections } from '../schema';

export type ConnectionRow = typeof connections.$inferSelect;
export type ConnectionStatus = 'active' | 'needs_reauth' | 'revoked';

/** A connection as operators may see it: everything but the tokens. */
export interface ConnectionSummary {
  realmId: string;
  companyName: string | null;
  environment: string;
  status: string;
  statusReason: string | null;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  refreshTokenHardExpiresAt: Date | null;
  refreshTokenIssuedAt: Date;
  tokenVersion: number;
  connectedAt: Date;
  updatedAt: Date;
}

const summaryColumns = {
  realmId: connections.realmId,
  companyName: connections.companyName,
  environment: connections.environment,
  status: connections.status,
  statusReason: connections.statusReason,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
  refreshTokenExpiresAt: connections.refreshTokenExpiresAt,
  refreshTokenHardExpiresAt: connections.refreshTokenHardExpiresAt,
  refreshTokenIssuedAt: connections.refreshTokenIssuedAt,
  tokenVersion: connections.tokenVersion,
  connectedAt: connections.connectedAt,
  updatedAt: connections.updatedAt,
};

/** A token pair as stored: sealed by connections/connection-tokens.ts, never in clear here. */
export interface SealedTokenColumns {
  keyId: string;
  accessTokenEnc: string;
  refreshTokenEnc: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  refreshTokenHardExpiresAt: Date | null;
  refreshTokenIssuedAt: Date;
}

/**
 * Stores a freshly authorised company, or replaces its tokens when it reconnects: status goes back to
 * active and tokenVersion moves on, so every process drops what it cached.
 */
export async function saveConnectionRow(
  db: DbOrTx,
  input: { realmId: string; companyName?: string | null; environment: string },
  sealed: SealedTokenColumns,
): Promise<ConnectionSummary> {
  const [row] = await db
    .insert(connections)
    .values({
      realmId: input.realmId,
      companyName: input.companyName ?? null,
      environment: input.environment,
      status: 'active',
      ...sealed,
    })
    .onConflictDoUpdate({
      target: connections.realmId,
      set: {
        ...sealed,
        companyName: sql`coalesce(excluded.company_name, ${connections.companyName})`,
        environment: input.environment,
        status: 'active',
        statusReason: null,
        tokenVersion: sql`${connections.tokenVersion} + 1`,
        connectedAt: sql`now()`,
        updatedAt: sql`now()`,
      },
    })
    .returning(summaryColumns);
  return row;
}

/** Reads one connection row, tokens still sealed. */
export async function getConnection(db: DbOrTx, realmId: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(connections).where(eq(connections.realmId, realmId));
  return row;
}

/** Reads one connection and takes its row lock until the transaction ends (`SELECT … FOR UPDATE`). */
export async function lockConnection(tx: DbOrTx, realmId: string): Promise<ConnectionRow | undefined> {
  const [row] = await tx.select().from(connections).where(eq(connections.realmId, realmId)).for('update');
  return row;
}

/** Persists a refreshed pair and bumps tokenVersion. Call with the row locked. */
export async function rotateTokenColumns(
  db: DbOrTx,
  realmId: string,
  sealed: SealedTokenColumns,
): Promise<ConnectionRow> {
  const [row] = await db
    .update(connections)
    .set({
      ...sealed,
      // QuickBooks only sends the hard expiry when asked; keep the known one rather than forget it.
      refreshTokenHardExpiresAt:
        sealed.refreshTokenHardExpiresAt ?? sql`${connections.refreshTokenHardExpiresAt}`,
      tokenVersion: sql`${connections.tokenVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(connections.realmId, realmId))
    .returning();
  return row;
}

/** Sets a connection's status (needs_reauth, revoked, active) with the reason a person will read. */
export async function markConnection(
  db: DbOrTx,
  realmId: string,
  status: ConnectionStatus,
  reason: string | null,
): Promise<boolean> {
  const rows = await db
    .update(connections)
    .set({ status, statusReason: reason, updatedAt: sql`now()` })
    .where(eq(connections.realmId, realmId))
    .returning({ realmId: connections.realmId });
  return rows.length > 0;
}

/** Every connection, tokens left out. */
export async function listConnections(db: DbOrTx): Promise<ConnectionSummary[]> {
  return db.select(summaryColumns).from(connections).orderBy(asc(connections.realmId));
}

/** One connection, tokens left out. */
export async function getConnectionSummary(
  db: DbOrTx,
  realmId: string,
): Promise<ConnectionSummary | undefined> {
  const [row] = await db.select(summaryColumns).from(connections).where(eq(connections.realmId, realmId));
  return row;
}

/** Records the company's name as QuickBooks reports it. */
export async function setCompanyName(db: DbOrTx, realmId: string, companyName: string): Promise<void> {
  await db
    .update(connections)
    .set({ companyName, updatedAt: sql`now()` })
    .where(eq(connections.realmId, realmId));
}
