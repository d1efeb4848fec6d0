import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { connectionHealth, type CompanyReader } from '../../../connections/company-health';
import { openTokens, saveConnection } from '../../../connections/connection-tokens';
import { completeConsent, ConsentRefused } from '../../../connections/oauth-callback';
import { startConsent } from '../../../connections/oauth-consent';
import { createTokenCipher, type TokenCipher } from '../../../connections/token-cipher';
import {
  listConnections,
  lockConnection,
  markConnection,
  type ConnectionSummary,
} from '../../../db/queries/connections';
import { readCompanyInfoWithToken } from '../../../quickbooks/client';
import { createQboOAuth, TokenEndpointError, type QboOAuth } from '../../../quickbooks/oauth-client';
import type { ApiDeps } from '../../deps';
import { ApiError } from '../../errors';
import { visibilityLiteral } from '../../services/visibility';

/** What the connection handlers need; `oauth` and `cipher` default to ones built from config. */
export type ConnectionRouteDeps = Pick<
  ApiDeps,
  'config' | 'db' | 'temporal' | 'logger' | 'resumePausedSyncs'
> & {
  qbo: CompanyReader;
  oauth?: QboOAuth;
  cipher?: TokenCipher;
  /** Whether the starter of a consent (`key:…`, `session:…`) may still act; see api/principal.ts. */
  starterIsValid(startedBy: string): Promise<boolean>;
};

/** The browser that started a consent brings this cookie back to the callback (SameSite=Lax: a top-level redirect). */
export const BINDING_COOKIE = 'qbo_oauth_binding';
const CALLBACK_PATH = '/v1/connections/callback';

/** The public view of a connection: never a token. */
export function view(c: ConnectionSummary) {
  return {
    realmId: c.realmId,
    companyName: c.companyName,
    environment: c.environment,
    status: c.status,
    statusReason: c.statusReason,
    accessTokenExpiresAt: c.accessTokenExpiresAt.toISOString(),
    refreshTokenExpiresAt: c.refreshTokenExpiresAt.toISOString(),
    refreshTokenHardExpiresAt: c.refreshTokenHardExpiresAt?.toISOString() ?? null,
    connectedAt: c.connectedAt.toISOString(),
  };
}

/** The handlers of `/v1/connections`: HTTP in and out; the OAuth flow itself is connections/oauth-*.ts. */
export function connectionHandlers(deps: ConnectionRouteDeps) {
  const { config, db, logger } = deps;
  const oauth = deps.oauth ?? createQboOAuth(config);
  const cipher = deps.cipher ?? createTokenCipher(config.tokenKeys);
  const secure = new URL(config.API_PUBLIC_URL).protocol === 'https:';

  async function countSyncs(realmId: string, state: 'paused' | 'needs_attention'): Promise<number> {
    const query = `RealmId = ${visibilityLiteral(realmId)} AND SyncState = ${visibilityLiteral(state)}`;
    // A deadline on the call itself, so an unreachable Temporal does not leave a retrying call behind.
    const counted = await deps.temporal.connection.withDeadline(Date.now() + 2_500, () =>
      deps.temporal.workflow.count(query),
    );
    return counted.count;
  }

  /** How many paused syncs were signalled, or null when some could not be (they resume at their self-check). */
  async function resume(realmId: string): Promise<number | null> {
    try {
      const outcome = await deps.resumePausedSyncs(realmId, 'auth');
      if (outcome.failed === 0) return outcome.signalled;
      logger.warn({ realmId, ...outcome }, 'some paused syncs could not be signalled');
      return null;
    } catch (err) {
      logger.error(
        { realmId, err: { name: (err as Error).name, message: (err as Error).message } },
        'resuming paused syncs failed',
      );
      return null;
    }
  }

  return {
    /** Redirects to Intuit's consent; the state is bound to the caller, the company and this browser. */
    async connect(c: Context, startedBy: string, realmId: string | undefined) {
      const started = await startConsent({ db, oauth }, { startedBy, realmId });
      setCookie(c, BINDING_COOKIE, started.browserBinding, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: CALLBACK_PATH,
        maxAge: 10 * 60,
      });
      return c.redirect(started.authorizeUrl, 302);
    },

    async callback(c: Context, query: { code?: string; state?: string; realmId?: string; error?: string }) {
      const browserBinding = getCookie(c, BINDING_COOKIE);
      deleteCookie(c, BINDING_COOKIE, { path: CALLBACK_PATH, secure });
      let connected;
      try {
        connected = await completeConsent(
          {
            db,
            cipher,
            oauth,
            environment: config.QBO_ENVIRONMENT,
            logger,
            starterIsValid: deps.starterIsValid,
            readCompanyInfo: (realm, accessToken) =>
              readCompanyInfoWithToken(
                {
                  baseUrl: config.QBO_API_BASE_URL,
                  minorVersion: config.QBO_MINOR_VERSION,
                  timeoutMs: config.QBO_REQUEST_TIMEOUT_MS,
                },
                realm,
                accessToken,
              ),
          },
          { ...query, browserBinding },
        );
      } catch (err) {
        if (err instanceof ConsentRefused) throw new ApiError(err.status, err.code, err.message);
        throw err;
      }
      const { realmId, companyName } = connected;
      const resumedSyncs = await resume(realmId);
      logger.info({ realmId, companyName, resumedSyncs }, 'QuickBooks company connected');
      const body = { realmId, companyName, status: 'active' as const, resumedSyncs };
      if ((c.req.header('accept') ?? '').includes('text/html')) {
        const resumed = resumedSyncs ? `; ${resumedSyncs} paused sync(s) resumed` : '';
        const notice = `Connected ${companyName ?? `company ${realmId}`}${resumed}.`;
        return c.redirect(`/admin?notice=${encodeURIComponent(notice)}`, 303);
      }
      return c.json(body, 200);
    },

    async list() {
      return { connections: (await listConnections(db)).map(view) };
    },

    async seedTokens(
      realmId: string,
      b: {
        accessToken: string;
        refreshToken: string;
        expiresIn: number;
        refreshExpiresIn: number;
        refreshHardExpiresIn?: number;
        companyName?: string;
      },
    ) {
      const saved = await saveConnection(db, cipher, {
        realmId,
        companyName: b.companyName,
        environment: config.QBO_ENVIRONMENT,
        grant: { ...b, issuedAt: new Date() },
      });
      logger.info({ realmId, tokenVersion: saved.tokenVersion }, 'QuickBooks tokens seeded by an operator');
      return { ...view(saved), resumedSyncs: await resume(realmId) };
    },

    async revoke(realmId: string) {
      const revokedAtQuickBooks = await db.transaction(async (tx) => {
        // The row lock keeps a concurrent refresh from storing a new token we would not revoke.
        const row = await lockConnection(tx, realmId);
        if (!row) throw new ApiError(404, 'not_found', `No connection for company ${realmId}.`);
        let revoked = false;
        try {
          await oauth.revoke(openTokens(cipher, row).refreshToken);
          revoked = true;
        } catch (err) {
          // Already dead at QuickBooks (or unreachable): we still stop using it.
          const code = err instanceof TokenEndpointError ? err.code : (err as Error).name;
          logger.warn({ realmId, code }, 'QuickBooks revoke failed; marking the connection revoked anyway');
        }
        await markConnection(tx, realmId, 'revoked', 'Disconnected by an administrator');
        return revoked;
      });
      logger.info({ realmId, revokedAtQuickBooks }, 'QuickBooks connection revoked');
      return { realmId, status: 'revoked' as const, revokedAtQuickBooks };
    },

    async health(realmId: string) {
      const report = await connectionHealth({ db, qbo: deps.qbo, countSyncs }, realmId);
      if (!report) throw new ApiError(404, 'not_found', `No connection for company ${realmId}.`);
      return report;
    },
  };
}
