import { randomBytes } from 'node:crypto';
import { and, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { oauthStates } from '../schema';

/** How long a consent round trip may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** What a state is bound to; the callback checks each of these. */
export interface OAuthStateBinding {
  codeVerifier: string;
  bindingHash: string;
  startedBy: string;
  realmId?: string;
}

/** A spent state and what it was bound to (`null` fields: a state written before bindings existed). */
export interface SpentOAuthState {
  codeVerifier: string | null;
  bindingHash: string | null;
  startedBy: string | null;
  realmId: string | null;
}

/** Stores a new single-use OAuth `state` (32 random bytes, base64url) with its binding and returns it. */
export async function createOAuthState(
  db: DbOrTx,
  binding: OAuthStateBinding,
  ttlMs: number = OAUTH_STATE_TTL_MS,
): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await db.insert(oauthStates).values({
    state,
    expiresAt: sql`now() + ${ttlMs} * interval '1 millisecond'`,
    codeVerifier: binding.codeVerifier,
    bindingHash: binding.bindingHash,
    startedBy: binding.startedBy,
    realmId: binding.realmId ?? null,
  });
  // Old states are useless; clearing them here keeps the table small without a cron.
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, sql`now() - interval '1 day'`));
  return state;
}

/**
 * Spends a `state` atomically: its binding only for a state that exists, was never used and has not
 * expired (undefined otherwise). Two callbacks racing with the same state: exactly one gets it.
 */
export async function consumeOAuthState(
  db: DbOrTx,
  state: string | undefined | null,
): Promise<SpentOAuthState | undefined> {
  // Ours are base64url; anything else (e.g. a NUL byte, which Postgres text refuses) is simply not ours.
  if (!state || !/^[A-Za-z0-9_-]{16,128}$/.test(state)) return undefined;
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
    .returning({
      codeVerifier: oauthStates.codeVerifier,
      bindingHash: oauthStates.bindingHash,
      startedBy: oauthStates.startedBy,
      realmId: oauthStates.realmId,
    });
  return rows[0];
}
