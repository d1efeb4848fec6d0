import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { getConnection, lockConnection, markConnection, type ConnectionRow } from '../db/queries/connections';
import { openTokens, rotateTokens } from './connection-tokens';
import { QboFault } from '../quickbooks/faults';
import type { TokenProvider } from '../quickbooks/ports';
import { TokenEndpointError, type QboOAuth } from '../quickbooks/oauth-client';
import type { TokenCipher } from './token-cipher';

export interface TokenStoreDeps {
  db: Db;
  cipher: TokenCipher;
  oauth: Pick<QboOAuth, 'refresh'>;
  /** Refresh when the access token expires within this window. Default 5 minutes. */
  refreshMarginMs?: number;
  /** How long a process reuses a token it read without asking the database again. Default 10 s. */
  cacheMs?: number;
  /** Base of the reconnect link put in hints, e.g. API_PUBLIC_URL. */
  publicUrl?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

interface Cached {
  tokenVersion: number;
  accessToken: string;
  expiresAt: number;
  readAt: number;
}

type Outcome = { ok: true; accessToken: string } | { ok: false; failure: QboFault };

/**
 * The TokenProvider over the connections table, safe across any number of processes: the refresh
 * itself runs in one function under the company's row lock, and the newest refresh token is committed
 * before the new access token is used.
 *
 * Throws QboFault `auth_expired` (pauses the sync) when the company is not connected, was
 * revoked, needs re-authorisation, or QuickBooks refuses the refresh token; QboFault
 * `transient_server` (retryable) when the token endpoint cannot be reached. No token ever appears in an
 * error or a log line.
 */
export function createTokenStore(deps: TokenStoreDeps): TokenProvider & { forget(realmId: string): void } {
  const { db, cipher, oauth, logger } = deps;
  const marginMs = deps.refreshMarginMs ?? 5 * 60_000;
  const cacheMs = deps.cacheMs ?? 10_000;
  const cache = new Map<string, Cached>();

  const isFresh = (expiresAt: Date | number) => new Date(expiresAt).getTime() - Date.now() > marginMs;

  function remember(row: ConnectionRow, accessToken: string): string {
    cache.set(row.realmId, {
      tokenVersion: row.tokenVersion,
      accessToken,
      expiresAt: row.accessTokenExpiresAt.getTime(),
      readAt: Date.now(),
    });
    return accessToken;
  }

  /** The one place a refresh token is spent. `rejectedToken`: the access token QuickBooks just refused. */
  async function refreshLocked(realmId: string, rejectedToken?: string): Promise<string> {
    cache.delete(realmId);
    const outcome = await db.transaction(async (tx): Promise<Outcome> => {
      const row = await lockConnection(tx, realmId);
      if (!row) return { ok: false, failure: authExpired(realmId, 'not_connected', deps.publicUrl) };
      if (row.status !== 'active')
        return {
          ok: false,
          failure: authExpired(
            realmId,
            row.status,
            deps.publicUrl,
            row.statusReason,
            undefined,
            row.tokenVersion,
          ),
        };

      let tokens = openTokens(cipher, row);
      // Someone else rotated while we waited for the lock (or the token is simply still good).
      const rotatedElsewhere = rejectedToken !== undefined && tokens.accessToken !== rejectedToken;
      if ((rejectedToken === undefined || rotatedElsewhere) && isFresh(row.accessTokenExpiresAt)) {
        return { ok: true, accessToken: remember(row, tokens.accessToken) };
      }

      for (let attempt = 1; ; attempt++) {
        try {
          const grant = await oauth.refresh(tokens.refreshToken);
          const saved = await rotateTokens(tx, cipher, realmId, grant);
          logger?.info(
            { realmId, tokenVersion: saved.tokenVersion, accessTokenExpiresAt: saved.accessTokenExpiresAt },
            'QuickBooks tokens refreshed',
          );
          return { ok: true, accessToken: remember(saved, grant.accessToken) };
        } catch (err) {
          if (!(err instanceof TokenEndpointError)) throw err;
          if (err.code !== 'invalid_grant') {
            logger?.warn(
              { realmId, code: err.code, intuitTid: err.intuitTid },
              'QuickBooks token endpoint failed',
            );
            return { ok: false, failure: tokenEndpointDown(realmId, err) };
          }
          // A writer that bypassed the lock (an operator seeding tokens, a reconnect) may have stored a newer
          // refresh token since we read it: try that one once before giving up on the company.
          const reread = await getConnection(tx, realmId);
          const newer = reread ? openTokens(cipher, reread) : undefined;
          if (attempt === 1 && reread && newer && newer.refreshToken !== tokens.refreshToken) {
            tokens = newer;
            continue;
          }
          const reason = 'QuickBooks refused the refresh token (invalid_grant): reconnect the company';
          await markConnection(tx, realmId, 'needs_reauth', reason);
          logger?.warn(
            { realmId, code: err.code, intuitTid: err.intuitTid },
            'QuickBooks refresh token refused; connection needs re-authorisation',
          );
          const version = (reread ?? row).tokenVersion;
          return {
            ok: false,
            failure: authExpired(realmId, 'invalid_grant', deps.publicUrl, reason, err, version),
          };
        }
      }
    });
    // Thrown after commit, so needs_reauth is stored.
    if (!outcome.ok) throw outcome.failure;
    return outcome.accessToken;
  }

  return {
    async accessToken(realmId) {
      const hit = cache.get(realmId);
      if (hit && Date.now() - hit.readAt < cacheMs && isFresh(hit.expiresAt)) return hit.accessToken;
      const row = await getConnection(db, realmId);
      if (!row) throw authExpired(realmId, 'not_connected', deps.publicUrl);
      if (row.status !== 'active')
        throw authExpired(realmId, row.status, deps.publicUrl, row.statusReason, undefined, row.tokenVersion);
      if (isFresh(row.accessTokenExpiresAt)) return remember(row, openTokens(cipher, row).accessToken);
      return refreshLocked(realmId);
    },
    refreshAfterRejection(realmId, rejectedToken) {
      return refreshLocked(realmId, rejectedToken);
    },
    generation(realmId) {
      return cache.get(realmId)?.tokenVersion;
    },
    forget(realmId) {
      cache.delete(realmId);
    },
  };
}

function reconnectHint(realmId: string, publicUrl = ''): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `Reconnect QuickBooks (${base}/v1/connections/connect?realmId=${encodeURIComponent(realmId)}), then the paused syncs resume.`;
}

/** The nonRetryable failure that pauses a company's syncs until someone reconnects it. */
export function authExpired(
  realmId: string,
  code: 'not_connected' | 'needs_reauth' | 'revoked' | 'invalid_grant' | string,
  publicUrl?: string,
  reason?: string | null,
  cause?: TokenEndpointError,
  /** The connection's token generation that failed (0 or absent: not connected). */
  connectionVersion = 0,
): QboFault {
  const message =
    code === 'not_connected'
      ? `QuickBooks company ${realmId} is not connected`
      : code === 'revoked'
        ? `QuickBooks connection for company ${realmId} was revoked`
        : `QuickBooks connection for company ${realmId} needs re-authorisation`;
  const detail = [reason, cause?.description, cause?.intuitTid ? `intuit_tid ${cause.intuitTid}` : '']
    .filter(Boolean)
    .join('; ');
  return new QboFault({
    pattern: 'auth_expired',
    code,
    message,
    detail: detail || message,
    hint: reconnectHint(realmId, publicUrl),
    ...(cause?.intuitTid ? { intuitTid: cause.intuitTid } : {}),
    status: 0,
    retryable: false,
    pause: 'auth',
    connectionVersion,
  });
}

function tokenEndpointDown(realmId: string, err: TokenEndpointError): QboFault {
  const message = `QuickBooks token endpoint failed for company ${realmId} (${err.code})`;
  return new QboFault({
    pattern: 'transient_server',
    code: err.code,
    message,
    detail: err.description || message,
    hint: 'Retried automatically; if it persists check QBO_CLIENT_ID/QBO_CLIENT_SECRET and QBO_TOKEN_URL.',
    ...(err.intuitTid ? { intuitTid: err.intuitTid } : {}),
    status: 0,
    retryable: true,
  });
}
