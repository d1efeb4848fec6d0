import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import { createOAuthState } from '../db/queries/oauth-states';
import type { QboOAuth } from '../quickbooks/oauth-client';

/** SHA-256, base64url: how a PKCE S256 challenge and a stored browser binding are computed. */
export function sha256url(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Where the consent goes, and the random value the starter's browser must bring back to the callback. */
export interface ConsentStart {
  authorizeUrl: string;
  /** Goes into an HttpOnly cookie scoped to the callback; only its hash is stored with the state. */
  browserBinding: string;
}

/**
 * Starts connecting (or reconnecting `realmId`): a single-use state bound to who started it, to the
 * company and to the starter's browser, and a PKCE S256 pair whose verifier stays on the server.
 */
export async function startConsent(
  deps: { db: DbOrTx; oauth: Pick<QboOAuth, 'authorizeUrl'> },
  start: { startedBy: string; realmId?: string },
): Promise<ConsentStart> {
  // RFC 7636 §4.1: 32 random octets, base64url → a 43-character verifier.
  const codeVerifier = randomBytes(32).toString('base64url');
  const browserBinding = randomBytes(32).toString('base64url');
  const state = await createOAuthState(deps.db, {
    codeVerifier,
    bindingHash: sha256url(browserBinding),
    startedBy: start.startedBy,
    realmId: start.realmId,
  });
  return {
    authorizeUrl: deps.oauth.authorizeUrl(state, sha256url(codeVerifier), start.realmId),
    browserBinding,
  };
}
