import { createRoute, z } from '@hono/zod-openapi';
import { readCompanySettings, type CompanySettings } from '../../connections/company-health';
import { getConnectionSummary } from '../../db/queries/connections';
import { resolveSignal, retrySignal } from '../../workflows/contract';
import { roleOf, type AuthGuard } from '../auth';
import type { AuthThrottle } from '../auth-throttle';
import type { ApiDeps } from '../deps';
import { qboIdMessage, qboIdPattern, realmIdParam, syncIdParam } from '../schemas/common';
import { readSync } from '../services/read-sync';
import { resumeCompany, resumeTriggers } from '../services/resume-company';
import { countWaiting, loadCompany, loadOverview } from './company-diagnostics';
import { desktopQwc } from '../services/desktop-qwc';
import { healthVerdict } from './health-verdict';
import { companyPath, createAdminRouter, form, htmlPage, redirect, tags, withNotice } from './admin-router';
import { CompanyPage, HealthPage, LoginPage, NotFoundPage, OverviewPage } from './pages';
import { createReconciliationAdminRoutes } from './reconciliation-routes';
import { createDriftAdminRoutes } from './drift-routes';
import { sameOrigin, type AdminSessions } from './session';

const page = { 200: htmlPage };

/**
 * `/admin`: the diagnostics pages (server-rendered hono/jsx, no scripts). A login form trades the admin key
 * for a server-side session (api/admin/session.ts) named by a signed HttpOnly SameSite=Strict cookie; every
 * form carries a CSRF token tied to that session and must come from this origin. Logins are throttled per
 * address and key like API keys. Actions call the same signals and services as the API, then redirect (303).
 */
export function createAdminRoutes(deps: ApiDeps, sessions: AdminSessions, throttle: AuthThrottle) {
  const { config, logger } = deps;
  const router = createAdminRouter(deps);
  const session = sessions.require();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/login',
      tags,
      summary: 'Admin page: log in with the admin key',
      responses: page,
    }),
    (c) => c.html(<LoginPage />, 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags,
      summary: 'Admin page: trade the admin key for a session cookie',
      request: {
        body: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: z.object({ key: z.string().max(500) }) },
          },
        },
      },
      responses: { ...redirect, 401: htmlPage, 403: htmlPage, 429: htmlPage },
    }),
    async (c) => {
      if (!sameOrigin(c, config.API_PUBLIC_URL))
        return c.html(<LoginPage error="Log in from this server's own page." />, 403);
      const { key } = c.req.valid('form');
      const attempt = {
        address: (c.get('authGuard' as never) as AuthGuard | undefined)?.address ?? 'unknown',
        key,
      };
      const wait = await throttle.lockedFor(attempt);
      if (wait) {
        logger.warn({ clientAddress: attempt.address }, 'admin page login refused: locked out');
        c.header('Retry-After', String(wait));
        return c.html(<LoginPage error={`Too many refused keys: try again in ${wait} s.`} />, 429);
      }
      // A source key gets the same answer as an unknown one: the page does not tell which keys exist.
      if (roleOf(key, config) !== 'admin') {
        await throttle.refused(attempt);
        logger.warn({ clientAddress: attempt.address }, 'admin page login refused');
        return c.html(<LoginPage error="That key does not open the admin page." />, 401);
      }
      await sessions.start(c, key);
      return c.redirect('/admin', 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: end the session',
      request: { body: form({}) },
      responses: redirect,
    }),
    async (c) => {
      await sessions.end(c);
      return c.redirect('/admin/login', 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: every company',
      request: { query: z.object({ notice: z.string().max(300).optional() }) },
      responses: page,
    }),
    async (c) =>
      c.html(
        <OverviewPage
          companies={await loadOverview(deps)}
          csrf={c.get('csrf')}
          notice={c.req.valid('query').notice}
        />,
        200,
      ),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}',
      tags,
      middleware: [session] as const,
      summary: "Admin page: a company's connection, failures by pattern, paused and recent syncs",
      request: { params: realmIdParam, query: z.object({ notice: z.string().max(300).optional() }) },
      responses: { ...page, 404: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const data = await loadCompany(deps, realmId);
      const csrf = c.get('csrf');
      if (!data)
        return c.html(<NotFoundPage what={`No company ${realmId} is connected.`} csrf={csrf} />, 404);
      return c.html(<CompanyPage data={data} csrf={csrf} notice={c.req.valid('query').notice} />, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/qwc',
      tags,
      middleware: [session] as const,
      summary: "A QuickBooks Desktop company's .QWC file, to add in its Web Connector",
      request: { params: realmIdParam },
      responses: { 200: { description: 'The .QWC file (XML)' }, 404: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const qwc = await desktopQwc(deps, realmId);
      if (!qwc)
        return c.html(
          <NotFoundPage what={`No QuickBooks Desktop company ${realmId}.`} csrf={c.get('csrf')} />,
          404,
        );
      return c.body(qwc.body, 200, qwc.headers);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/health',
      tags,
      middleware: [session] as const,
      summary: "Admin page: the connection's tokens and the company settings read live",
      request: { params: realmIdParam },
      responses: { ...page, 404: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const csrf = c.get('csrf');
      const connection = await getConnectionSummary(deps.db, realmId);
      if (!connection)
        return c.html(<NotFoundPage what={`No company ${realmId} is connected.`} csrf={csrf} />, 404);
      let company: Record<string, unknown>;
      let settings: CompanySettings | { error: string };
      try {
        settings = await readCompanySettings(deps.qbo, realmId);
        company = { ok: true, ...settings };
      } catch (err) {
        settings = { error: String((err as Error).message ?? err).slice(0, 300) };
        company = { ok: false, ...settings };
      }
      const verdict = healthVerdict({
        connectionStatus: connection.status,
        refreshTokenExpiresAt: connection.refreshTokenExpiresAt,
        settings,
        waiting: await countWaiting(deps, realmId),
      });
      return c.html(
        <HealthPage connection={connection} company={company} verdict={verdict} csrf={csrf} />,
        200,
      );
    },
  );

  for (const { path, reason, label } of resumeTriggers) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/companies/{realmId}/${path}`,
        tags,
        middleware: [session] as const,
        summary: `Admin page: resume the company's syncs paused for ${reason}`,
        request: { params: realmIdParam, body: form({}) },
        responses: redirect,
      }),
      async (c) => {
        const { realmId } = c.req.valid('param');
        const outcome = await resumeCompany(deps, realmId, reason, 'admin page');
        const unreached = outcome.failed
          ? ` ${outcome.failed} could not be reached; they resume at their next self-check.`
          : '';
        return c.redirect(
          withNotice(companyPath(realmId), `${label}: ${outcome.signalled} sync(s) signalled.${unreached}`),
          303,
        );
      },
    );
  }

  /** The sync, when it waits for a person; otherwise a redirect explaining why nothing was done. */
  async function waitingSync(id: string) {
    const sync = await readSync(deps.temporal, id);
    if (!sync) return { refused: withNotice('/admin', `No sync with id ${id}.`) };
    const back = sync.realmId ? companyPath(sync.realmId) : '/admin';
    if (sync.state !== 'needs_attention' && sync.state !== 'paused') {
      return {
        refused: withNotice(
          back,
          `Invoice ${sync.sourceInvoiceId ?? id} is ${sync.state}; nothing to retry.`,
        ),
      };
    }
    return { sync, back };
  }

  router.openapi(
    createRoute({
      method: 'post',
      path: '/syncs/{id}/retry',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: retry a waiting sync (the retry signal)',
      request: { params: syncIdParam, body: form({}) },
      responses: redirect,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const found = await waitingSync(id);
      if (!found.sync) return c.redirect(found.refused, 303);
      await deps.temporal.workflow.getHandle(id).signal(retrySignal, { note: 'retried from the admin page' });
      return c.redirect(withNotice(found.back, `Retrying invoice ${found.sync.sourceInvoiceId ?? id}.`), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/syncs/{id}/link',
      tags,
      middleware: [session] as const,
      summary:
        'Admin page: link the record a sync is stuck on to an existing QuickBooks record (the resolve signal)',
      request: {
        params: syncIdParam,
        body: form({
          qboId: z.string().trim().regex(qboIdPattern, qboIdMessage),
        }),
      },
      responses: redirect,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { qboId } = c.req.valid('form');
      const found = await waitingSync(id);
      if (!found.sync) return c.redirect(found.refused, 303);
      const error = found.sync.lastError;
      if (!error?.step || !error.sourceId)
        return c.redirect(
          withNotice(found.back, 'This sync is not stuck on a record that can be linked.'),
          303,
        );
      await deps.temporal.workflow.getHandle(id).signal(resolveSignal, {
        kind: 'link',
        step: error.step,
        sourceId: error.sourceId,
        qboId,
        note: 'linked from the admin page',
      });
      return c.redirect(
        withNotice(found.back, `Linking ${error.step} record ${error.sourceId} to QuickBooks id ${qboId}.`),
        303,
      );
    },
  );

  router.route('/', createReconciliationAdminRoutes(deps, session));
  router.route('/', createDriftAdminRoutes(deps, session));
  return router;
}
