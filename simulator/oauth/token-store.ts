import { newOpaqueToken } from '../ids';
import type { AccessTokenRecord, Grant, OAuthState } from '../state';

const ACCESS_TTL_S = 3600;
/** What Intuit advertises for refresh tokens (101 days)… */
const REFRESH_ADVERTISED_S = 8_726_400;
/** …and what it enforces: 100 days unused, rolling. Never kinder than QuickBooks. */
const REFRESH_IDLE_LIMIT_S = 100 * 86_400;
const SUPERSEDED_GRACE_S = 24 * 3600;
const HARD_LIMIT_S = 5 * 365 * 86_400;

/** The token endpoint's success body. */
export interface TokenResponse {
  token_type: 'bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
  x_refresh_token_expires_in: number;
  x_refresh_token_hard_expires_in?: number;
}

/** Issues, rotates, revokes and checks OAuth tokens against `state` using `now()`. */
export function createTokenStore(state: () => OAuthState, now: () => number) {
  const issuePair = (grant: Grant, includeHardExpiry: boolean): TokenResponse => {
    const t = now();
    const access = newOpaqueToken('sim-at-');
    const refresh = newOpaqueToken('sim-rt-');
    const s = state();
    s.accessTokens[access] = {
      grantId: grant.id,
      realmId: grant.realmId,
      expiresAt: t + ACCESS_TTL_S * 1000,
    };
    s.refreshTokens[refresh] = { grantId: grant.id, issuedAt: t };
    const hardLeft = Math.floor((grant.createdAt + HARD_LIMIT_S * 1000 - t) / 1000);
    return {
      token_type: 'bearer',
      access_token: access,
      refresh_token: refresh,
      expires_in: ACCESS_TTL_S,
      x_refresh_token_expires_in: Math.min(REFRESH_ADVERTISED_S, hardLeft),
      ...(includeHardExpiry ? { x_refresh_token_hard_expires_in: hardLeft } : {}),
    };
  };

  return {
    /** Starts a new consent for `clientId` on `realmId` and returns its first token pair. */
    grant(clientId: string, realmId: string, includeHardExpiry = false): TokenResponse {
      const grant: Grant = {
        id: newOpaqueToken('grant-'),
        clientId,
        realmId,
        createdAt: now(),
        revoked: false,
      };
      state().grants[grant.id] = grant;
      return issuePair(grant, includeHardExpiry);
    },

    /**
     * Exchanges a refresh token for a new pair. The old token stays usable for 24 h after it was first
     * superseded. Returns undefined (→ invalid_grant) when unknown, revoked, idle too long, past grace or hard limit.
     */
    refresh(
      refreshToken: string,
      clientId: string,
      includeHardExpiry = false,
    ): { realmId: string; tokens: TokenResponse } | undefined {
      const s = state();
      const record = s.refreshTokens[refreshToken];
      const grant = record && s.grants[record.grantId];
      const t = now();
      if (!record || !grant || grant.revoked || grant.clientId !== clientId) return undefined;
      if (t - record.issuedAt > REFRESH_IDLE_LIMIT_S * 1000) return undefined;
      if (record.supersededAt !== undefined && t - record.supersededAt > SUPERSEDED_GRACE_S * 1000)
        return undefined;
      if (t - grant.createdAt > HARD_LIMIT_S * 1000) return undefined;
      record.supersededAt ??= t;
      return { realmId: grant.realmId, tokens: issuePair(grant, includeHardExpiry) };
    },

    /** Revokes the whole grant behind an access or refresh token; returns its realm, if the token was known. */
    revokeByToken(token: string): string | undefined {
      const s = state();
      const grantId = s.refreshTokens[token]?.grantId ?? s.accessTokens[token]?.grantId;
      const grant = grantId ? s.grants[grantId] : undefined;
      if (!grant) return undefined;
      grant.revoked = true;
      return grant.realmId;
    },

    /** Revokes every grant on a realm. */
    revokeRealm(realmId: string): void {
      for (const grant of Object.values(state().grants)) if (grant.realmId === realmId) grant.revoked = true;
    },

    /** Makes every access token of a realm expire now. */
    expireRealmAccessTokens(realmId: string): void {
      const t = now();
      for (const token of Object.values(state().accessTokens))
        if (token.realmId === realmId) token.expiresAt = Math.min(token.expiresAt, t);
    },

    /** The access token's record when it is valid for `realmId` now; undefined otherwise. */
    checkAccess(accessToken: string, realmId: string): AccessTokenRecord | undefined {
      const s = state();
      const record = s.accessTokens[accessToken];
      if (!record || record.realmId !== realmId || record.expiresAt <= now()) return undefined;
      if (s.grants[record.grantId]?.revoked !== false) return undefined;
      return record;
    },
  };
}

/** The token store's interface. */
export type TokenStore = ReturnType<typeof createTokenStore>;
