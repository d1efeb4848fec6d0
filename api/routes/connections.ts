import { createRoute, z } from '@hono/zod-openapi';
import { createQboOAuth, TokenEndpointError, type QboOAuth } from '../../quickbooks/oauth-client';
import { connectionHealth, type CompanyReader } from '../../connections/company-health';
import { createTokenCipher, type TokenCipher } from '../../connections/token-cipher';
import {
  listConnections,
  lockConnection,
  markConnection,
  setCompanyName,
  type ConnectionSummary,
} from '../../db/queries/connections';
import { openTokens, saveConnection } from '../../connections/connection-tokens';
import { consumeOAuthState, createOAuthState } from '../../db/queries/oauth-states';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { createRouter } from '../router';
import { visibilityLiteral } from '../services/visibility';
import { errorResponses, realmIdParam } from '../schemas/common';

/** What the connection routes need; `oauth` and `cipher` default to ones built from config. */
export type ConnectionRouteDeps = Pick<
  ApiDeps,
  'config' | 'db' | 'temporal' | 'logger' | 'resumePausedSyncs'
> & {
  qbo: CompanyReader;
  oauth?: QboOAuth;
  cipher?: TokenCipher;
};

const ACCOUNTING_SCOPE_NOTE = 'com.intuit.quickbooks.accounting';

const connectionView = z.object({
  realmId: z.string(),
  companyName: z.string().nullable(),
  environment: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  accessTokenExpiresAt: z.string(),
  refreshTokenExpiresAt: z.string(),
  refreshTokenHardExpiresAt: z.string().nullable(),
  connectedAt: z.string(),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The public view of a connection: never a token. */
export function view(c: ConnectionSummary): z.infer<typeof connectionView> {
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

/**
 * `/v1/connections`: connect a QuickBooks company (OAuth), list, inspect, seed tokens and revoke.
 * Admin key everywhere except the OAuth callback, which the browser reaches and `state` protects.
 */
export function createConnectionRoutes(deps: ConnectionRouteDeps) {
  const { config, db, logger } = deps;
  const oauth = deps.oauth ?? createQboOAuth(config);
  const cipher = deps.cipher ?? createTokenCipher(config.tokenKeys);
  const admin = requireRole('admin', config);
  const app = createRouter();

  /** Company name is best effort: the connection is saved whether or not QuickBooks answers. */
  async function recordCompanyName(realmId: string): Promise<string | null> {
    try {
      const info = await deps.qbo.read(realmId, 'CompanyInfo', realmId);
      const name: unknown = info?.CompanyInfo?.CompanyName ?? info?.CompanyName;
      if (typeof name === 'string' && name) {
        await setCompanyName(db, realmId, name);
        return name;
      }
    } catch (err) {
      logger.warn(
        { realmId, err: { name: (err as Error).name, message: (err as Error).message } },
        'could not read CompanyInfo',
      );
    }
    return null;
  }

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

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connect',
      middleware: [admin] as const,
      summary: `Start connecting a QuickBooks company (scope ${ACCOUNTING_SCOPE_NOTE})`,
      request: { query: z.object({ realmId: z.string().optional() }) },
      responses: { 302: { description: 'Redirect to Intuit consent' }, ...errorResponses },
    }),
    async (c) => {
      const state = await createOAuthState(db);
      return c.redirect(oauth.authorizeUrl(state, c.req.valid('query').realmId), 302);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/callback',
      summary: 'OAuth redirect target (no API key: the single-use state protects it)',
      request: {
        query: z.object({
          code: z.string().optional(),
          state: z.string().optional(),
          realmId: z.string().optional(),
          error: z.string().optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            realmId: z.string(),
            companyName: z.string().nullable(),
            status: z.literal('active'),
            resumedSyncs: z.number().nullable(),
          }),
          'Connected',
        ),
        ...errorResponses,
        502: { ...errorResponses[400], description: 'QuickBooks refused the code' },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      // The state is spent first, whatever else is wrong, so a callback URL works exactly once.
      if (!(await consumeOAuthState(db, q.state))) {
        throw new ApiError(
          400,
          'invalid_state',
          'The OAuth state is missing, unknown, already used or expired: start again at /v1/connections/connect.',
        );
      }
      if (q.error)
        throw new ApiError(
          400,
          'consent_refused',
          `QuickBooks did not grant access (${q.error.slice(0, 60)}).`,
        );
      if (!q.code || !q.realmId || !realmIdParam.safeParse({ realmId: q.realmId }).success) {
        throw new ApiError(400, 'invalid_callback', 'The callback needs a code and a valid realmId.');
      }
      let grant;
      try {
        grant = await oauth.exchangeCode(c.req.url);
      } catch (err) {
        if (!(err instanceof TokenEndpointError)) throw err;
        logger.warn(
          { realmId: q.realmId, code: err.code, intuitTid: err.intuitTid },
          'authorization code exchange failed',
        );
        throw new ApiError(
          502,
          'token_exchange_failed',
          `QuickBooks refused the authorization code (${err.code}): start again at /v1/connections/connect.`,
        );
      }
      await saveConnection(db, cipher, { realmId: q.realmId, environment: config.QBO_ENVIRONMENT, grant });
      const companyName = await recordCompanyName(q.realmId);
      const resumedSyncs = await resume(q.realmId);
      logger.info({ realmId: q.realmId, companyName, resumedSyncs }, 'QuickBooks company connected');
      const body = { realmId: q.realmId, companyName, status: 'active' as const, resumedSyncs };
      if ((c.req.header('accept') ?? '').includes('text/html')) return c.html(confirmationPage(body)) as any;
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      middleware: [admin] as const,
      summary: 'List connected companies (never tokens)',
      responses: {
        200: json(z.object({ connections: z.array(connectionView) }), 'Connections'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ connections: (await listConnections(db)).map(view) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{realmId}/tokens',
      middleware: [admin] as const,
      summary: 'Seed or replace a connection from an existing token pair (tests, migrations)',
      request: {
        params: realmIdParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                accessToken: z.string().min(1),
                refreshToken: z.string().min(1),
                expiresIn: z.number().int().positive(),
                refreshExpiresIn: z.number().int().positive(),
                refreshHardExpiresIn: z.number().int().positive().optional(),
                companyName: z.string().max(500).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: json(connectionView.extend({ resumedSyncs: z.number().nullable() }), 'Stored'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const b = c.req.valid('json');
      const saved = await saveConnection(db, cipher, {
        realmId,
        companyName: b.companyName,
        environment: config.QBO_ENVIRONMENT,
        grant: { ...b, issuedAt: new Date() },
      });
      logger.info({ realmId, tokenVersion: saved.tokenVersion }, 'QuickBooks tokens seeded by an operator');
      return c.json({ ...view(saved), resumedSyncs: await resume(realmId) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{realmId}',
      middleware: [admin] as const,
      summary: 'Disconnect: revoke the grant at QuickBooks and stop using the company',
      request: { params: realmIdParam },
      responses: {
        200: json(
          z.object({ realmId: z.string(), status: z.literal('revoked'), revokedAtQuickBooks: z.boolean() }),
          'Revoked',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
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
      return c.json({ realmId, status: 'revoked' as const, revokedAtQuickBooks }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{realmId}/health',
      middleware: [admin] as const,
      summary: 'Token state and the company settings that affect syncing, read live',
      request: { params: realmIdParam },
      responses: { 200: json(z.any(), 'Health'), ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const report = await connectionHealth({ db, qbo: deps.qbo, countSyncs }, realmId);
      if (!report) throw new ApiError(404, 'not_found', `No connection for company ${realmId}.`);
      return c.json(report, 200);
    },
  );

  return app;
}

function confirmationPage(b: {
  realmId: string;
  companyName: string | null;
  resumedSyncs: number | null;
}): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const name = esc(b.companyName ?? `company ${b.realmId}`);
  const resumed =
    b.resumedSyncs === null
      ? 'Paused syncs could not be resumed automatically; see the logs.'
      : `${b.resumedSyncs} paused sync(s) resumed.`;
  return `<!doctype html><meta charset="utf-8"><title>QuickBooks connected</title><h1>Connected ${name}</h1><p>Realm ${esc(b.realmId)}. ${esc(resumed)}</p>`;
}
