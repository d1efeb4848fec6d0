import { randomBytes } from 'node:crypto';
import { and, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { oauthStates } from '../schema';

/** How long a consent round trip may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** Stores a new single-use OAuth `state` (32 random bytes, base64url) and returns it. */
export async function createOAuthState(db: DbOrTx, ttlMs: number = OAUTH_STATE_TTL_MS): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await db.insert(oauthStates).values({ state, expiresAt: sql`now() + ${ttlMs} * interval '1 millisecond'` });
  // Old states are useless; clearing them here keeps the table small without a cron.
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, sql`now() - interval '1 day'`));
  return state;
}

/**
 * Spends a `state` atomically: true only for a state that exists, was never used and has not expired.
 * Two callbacks racing with the same state: exactly one gets true.
 */
export async function consumeOAuthState(db: DbOrTx, state: string | undefined | null): Promise<boolean> {
  // Ours are base64url; anything else (e.g. a NUL byte, which Postgres text refuses) is simply not ours.
  if (!state || !/^[A-Za-z0-9_-]{16,128}$/.test(state)) return false;
  const rows = await db
    .update(oauthStates)
    .set({ consumedAt: sql`now()` })
    .where(
      and(
        sql`${oauthStates.state} = ${state}`,
        isNull(oauthStates.consumedAt),
        gt(oauthStates.expiresAt, sql`now()`),
      ),
    )
    .returning({ state: oauthStates.state });
  return rows.length === 1;
}
