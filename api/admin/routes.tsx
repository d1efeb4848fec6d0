import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { readCompanySettings } from '../../connections/company-health';
import { getConnectionSummary } from '../../db/queries/connections';
import { resolveSignal, retrySignal, type PauseReason } from '../../workflows/contract';
import { roleOf } from '../auth';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../errors';
import { realmIdParam, syncIdParam } from '../schemas/common';
import { readSync } from '../services/read-sync';
import { loadCompany, loadOverview } from './company-diagnostics';
import { Layout } from './layout';
import { CompanyPage, HealthPage, LoginPage, NotFoundPage, OverviewPage } from './pages';
import { endSession, requireSession, sameOrigin, startSession } from './session';

const tags = ['admin pages'];
const htmlPage = { description: 'HTML page', content: { 'text/html': { schema: z.string() } } };
const page = { 200: htmlPage };
const redirect = { 303: { description: 'Back to the page, with a notice' } };
const form = <T extends z.ZodRawShape>(shape: T) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': { schema: z.object({ csrf: z.string().min(1), ...shape }) },
  },
});
const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;
const withNotice = (path: string, notice: string) => `${path}?notice=${encodeURIComponent(notice)}`;

/**
 * `/admin`: the diagnostics pages (server-rendered hono/jsx, no scripts). A login form trades the admin key
 * for a signed HttpOnly SameSite=Strict cookie; every form carries a CSRF token tied to that session and
 * must come from this origin. Actions call the same signals and services as the API, then redirect (303).
 */
export function createAdminRoutes(deps: ApiDeps) {
  const { config, logger } = deps;
  // Bad form input is shown on a page, naming each field, rather than answered with JSON.
  const router = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const reasons = fieldErrors(result.error).map((f) => `${f.path}: ${f.reason}`);
        throw new HTTPException(422, { message: `The form is invalid: ${reasons.join('; ')}` });
      }
    },
  });
  const session = requireSession(config, config.API_PUBLIC_URL);

  router.onError((err, c) => {
    const status = err instanceof HTTPException ? err.status : 500;
    if (status === 500)
      logger.error({ err: { name: err.name, message: err.message }, path: c.req.path }, 'admin page failed');
    const message = status === 500 ? 'Something went wrong on our side; it has been logged.' : err.message;
    return c.html(
      <Layout title="Error">
        <h1>That did not work</h1>
        <p>{message}</p>
        <p>
          <a href="/admin">Back to the companies</a>
        </p>
      </Layout>,
      status,
    );
  });

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
      responses: { ...redirect, 401: htmlPage, 403: htmlPage },
    }),
    async (c) => {
      if (!sameOrigin(c, config.API_PUBLIC_URL))
        return c.html(<LoginPage error="Log in from this server's own page." />, 403);
      const role = roleOf(c.req.valid('form').key, config);
      if (role !== 'admin') {
        logger.warn({ role }, 'admin page login refused');
        const error =
          role === 'source'
            ? 'That is the source app key; the diagnostics need the admin key.'
            : 'That key is not valid.';
        return c.html(<LoginPage error={error} />, role === 'source' ? 403 : 401);
      }
      await startSession(c, config);
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
    (c) => {
      endSession(c);
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
      responses: page,
    }),
    async (c) => c.html(<OverviewPage companies={await loadOverview(deps)} csrf={c.get('csrf')} />, 200),
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
      try {
        company = { ok: true, ...(await readCompanySettings(deps.qbo, realmId)) };
      } catch (err) {
        company = { ok: false, error: String((err as Error).message ?? err).slice(0, 300) };
      }
      return c.html(<HealthPage connection={connection} company={company} csrf={csrf} />, 200);
    },
  );

  const resume = (reason: PauseReason, label: string) => async (c: any) => {
    const { realmId } = c.req.valid('param');
    const outcome = await deps.resumePausedSyncs(realmId, reason);
    logger.info({ realmId, reason, ...outcome, by: 'admin page' }, 'paused syncs resumed');
    const unreached = outcome.failed
      ? ` ${outcome.failed} could not be reached; they resume at their next self-check.`
      : '';
    return c.redirect(
      withNotice(companyPath(realmId), `${label}: ${outcome.signalled} sync(s) signalled.${unreached}`),
      303,
    );
  };
  for (const [path, reason, label] of [
    ['reconnected', 'auth', 'Reconnected'],
    ['period-reopened', 'closed_period', 'Period reopened'],
  ] as const) {
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
      resume(reason, label),
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
          qboId: z
            .string()
            .trim()
            .regex(/^\d{1,20}$/, 'must be a QuickBooks record id (digits)'),
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

  return router;
}
