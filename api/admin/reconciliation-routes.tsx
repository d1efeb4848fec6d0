import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listActions } from '../../db/queries/reconciliation-actions';
import { getReconciliation } from '../../db/queries/reconciliations';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { latestResult, paymentView } from '../routes/reconciliation';
import { realmIdParam } from '../schemas/common';
import { takeAction } from '../services/reconciliation-actions';
import { startReconciliation } from '../services/start-reconciliation';
import { PaymentPage, ReconciliationPage, type ReconciliationView } from './reconciliation-page';
import { form, htmlPage, redirect, tags, withNotice } from './admin-router';
import type { AdminEnv, AdminSessions } from './session';

const pagePath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}/reconciliation`;

/**
 * The reconciliation pages under /admin/companies/{realmId}: the result with its action buttons, run now,
 * and the payment view. Mounted by api/admin/routes.tsx behind its session (and CSRF) middleware.
 */
export function createReconciliationAdminRoutes(
  deps: ApiDeps,
  session: ReturnType<AdminSessions['require']>,
) {
  const router = new OpenAPIHono<AdminEnv>();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/reconciliation',
      tags,
      middleware: [session] as const,
      summary: "Admin page: the company's latest reconciliation, mismatches and actions",
      request: { params: realmIdParam, query: z.object({ notice: z.string().max(300).optional() }) },
      responses: { 200: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const row = await getReconciliation(deps.db, realmId);
      const result = row ? ((await latestResult(deps, realmId)) as unknown as ReconciliationView) : null;
      const actions = await listActions(deps.db, realmId);
      return c.html(
        <ReconciliationPage
          realmId={realmId}
          result={result}
          actions={actions}
          csrf={c.get('csrf')}
          notice={c.req.valid('query').notice}
        />,
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{realmId}/reconciliation/run',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: reconcile the company now',
      request: { params: realmIdParam, body: form({}) },
      responses: redirect,
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      await startReconciliation(deps, realmId);
      return c.redirect(withNotice(pagePath(realmId), 'Reconciling: reload in a moment.'), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{realmId}/reconciliation/actions',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: act on a mismatch (once)',
      request: {
        params: realmIdParam,
        body: form({
          mismatchId: z.string().min(1).max(300),
          action: z.enum(['void_duplicate', 'resync', 'link']),
          reconciliationId: z.coerce.number().int().positive(),
        }),
      },
      responses: redirect,
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const body = c.req.valid('form');
      const result = await latestResult(deps, realmId, body.reconciliationId);
      const mismatch = result.mismatches.find((m) => m.id === body.mismatchId);
      const action = mismatch?.actions.find((a) => a.kind === body.action);
      if (!mismatch || !action)
        return c.redirect(withNotice(pagePath(realmId), 'That action is not offered on this result.'), 303);
      const taken = await takeAction(deps, realmId, result.id, mismatch, action);
      deps.logger.info(
        { realmId, mismatchId: mismatch.id, action: body.action, by: 'admin page' },
        'reconciliation action',
      );
      const notice = taken.repeated
        ? `${action.label}: already ${taken.action.status}.`
        : `${action.label}: ${taken.action.status === 'done' ? 'done' : 'under way; the result refreshes when it is done'}.`;
      return c.redirect(withNotice(pagePath(realmId), notice), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/payments/{sourceId}',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: one source payment, its link, its QuickBooks record and its mismatches',
      request: { params: realmIdParam.extend({ sourceId: z.string().min(1).max(100) }) },
      responses: { 200: htmlPage, 404: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      try {
        const view = await paymentView(deps, realmId, c.req.valid('param').sourceId);
        return c.html(<PaymentPage realmId={realmId} view={view} csrf={c.get('csrf')} />, 200);
      } catch (err) {
        if (err instanceof ApiError) return c.redirect(withNotice(pagePath(realmId), err.message), 303);
        throw err;
      }
    },
  );
  return router;
}
