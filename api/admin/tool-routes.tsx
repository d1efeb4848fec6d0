import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { setCookie } from 'hono/cookie';
import { startConsent } from '../../connections/oauth-consent';
import { listConnections } from '../../db/queries/connections';
import { createQboOAuth } from '../../quickbooks/oauth-client';
import { resolveSignal, syncWorkflowId } from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import { realmIdParam, syncIdParam } from '../schemas/common';
import { batchProgress } from '../services/batch-progress';
import { listSyncs, syncListQuery } from '../services/list-syncs';
import { readSync } from '../services/read-sync';
import { syncLinks } from '../services/sync-links';
import { BatchPage, PaymentsPage, SearchPage } from './tool-pages';
import { createAdminRouter, form, htmlPage, redirect, tags, withNotice } from './admin-router';
import { addMappingRoutes } from './mapping-routes';
import { BINDING_COOKIE } from '../routes/connections/handlers';
import type { AdminEnv, AdminSessions } from './session';
import { SyncPage } from './sync-page';

const page = { 200: htmlPage };
/** How many recent syncs a document-number search reads. */
const SEARCH_SCAN_LIMIT = 2_000;
const syncPath = (id: string) => `/admin/syncs/${encodeURIComponent(id)}`;
const qboId = z
  .string()
  .trim()
  .regex(/^\d{0,20}$/, 'must be a QuickBooks record id (digits)');

/**
 * `/admin` pages beyond the company overview: one sync with every action, connecting a company, the
 * payments waiting, a batch's progress and search. Same session, CSRF and signals as the other pages.
 */
export function createAdminToolRoutes(deps: ApiDeps, sessions: AdminSessions) {
  const { config } = deps;
  const router = createAdminRouter<AdminEnv>(deps);
  const session = sessions.require();
  const secureCookie = new URL(config.API_PUBLIC_URL).protocol === 'https:';
  const oauth = createQboOAuth(config);

  router.openapi(
    createRoute({
      method: 'post',
      path: '/connect',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: connect a QuickBooks company (to Intuit consent; the callback returns to /admin)',
      request: { body: form({}) },
      responses: redirect,
    }),
    async (c) => {
      // The same bound consent as GET /v1/connections/connect, started by this admin session.
      const started = await startConsent(
        { db: deps.db, oauth },
        { startedBy: `session:${c.get('session').idHash}` },
      );
      setCookie(c, BINDING_COOKIE, started.browserBinding, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookie,
        path: '/v1/connections/callback',
        maxAge: 10 * 60,
      });
      return c.redirect(started.authorizeUrl, 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/syncs/{id}',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: one sync — steps with QuickBooks ids, the error, decisions and every action',
      request: { params: syncIdParam, query: z.object({ notice: z.string().max(300).optional() }) },
      responses: { ...page, 404: page[200] },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const sync = await readSync(deps.temporal, id);
      if (!sync?.realmId) throw new HTTPException(404, { message: `No sync with id ${id}.` });
      return c.html(
        <SyncPage
          sync={sync}
          csrf={c.get('csrf')}
          notice={c.req.valid('query').notice}
          qboAppUrl={config.QBO_APP_URL}
          temporalUiUrl={syncLinks(config, id).temporalUiUrl}
        />,
        200,
      );
    },
  );

  /** The sync when it waits on a person; otherwise the reason nothing was done. */
  async function waiting(id: string) {
    const sync = await readSync(deps.temporal, id);
    if (!sync) return { refused: withNotice('/admin', `No sync with id ${id}.`) };
    if (sync.state !== 'needs_attention' && sync.state !== 'paused')
      return { refused: withNotice(syncPath(id), `The sync is ${sync.state}; nothing to do.`) };
    return { sync };
  }

  router.openapi(
    createRoute({
      method: 'post',
      path: '/syncs/{id}/manual',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: the record a sync is stuck on was entered in QuickBooks by hand',
      request: { params: syncIdParam, body: form({ qboId: qboId.optional() }) },
      responses: redirect,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const found = await waiting(id);
      if (!found.sync) return c.redirect(found.refused, 303);
      const e = found.sync.lastError;
      if (!e?.step || !e.sourceId)
        return c.redirect(withNotice(syncPath(id), 'This sync is not stuck on one record.'), 303);
      const entered = c.req.valid('form').qboId || undefined;
      await deps.temporal.workflow.getHandle(id).signal(resolveSignal, {
        kind: 'manual',
        step: e.step,
        sourceId: e.sourceId,
        ...(entered ? { qboId: entered } : {}),
        note: 'marked entered by hand from the admin page',
      });
      return c.redirect(
        withNotice(syncPath(id), `Marked ${e.step} record ${e.sourceId} entered by hand.`),
        303,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/syncs/{id}/redate',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: re-date an invoice stopped by a closed period',
      request: {
        params: syncIdParam,
        body: form({ txnDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD') }),
      },
      responses: redirect,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { txnDate } = c.req.valid('form');
      const found = await waiting(id);
      if (!found.sync) return c.redirect(found.refused, 303);
      if (found.sync.lastError?.pattern !== 'closed_period')
        return c.redirect(withNotice(syncPath(id), 'Re-dating applies to a closed-period invoice.'), 303);
      await deps.temporal.workflow
        .getHandle(id)
        .signal(resolveSignal, { kind: 'redate', txnDate, note: 're-dated from the admin page' });
      return c.redirect(withNotice(syncPath(id), `Re-dating the invoice to ${txnDate}.`), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/payments',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: payments waiting, why, and the invoice they wait on',
      request: { params: realmIdParam },
      responses: page,
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const listed = [
        ...(await listSyncs(deps.temporal, { realmId, state: 'needs_attention', limit: 100 })),
        ...(await listSyncs(deps.temporal, { realmId, state: 'paused', limit: 100 })),
      ];
      const views = (await Promise.all(listed.map((s) => readSync(deps.temporal, s.syncId)))).filter(
        (v) => v && v.steps && v.steps.payments.status !== 'done' && v.state !== 'completed',
      );
      return c.html(<PaymentsPage realmId={realmId} syncs={views as any} csrf={c.get('csrf')} />, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/batches/{batchId}',
      tags,
      middleware: [session] as const,
      summary: "Admin page: a batch's progress, done/total per state",
      request: { params: z.object({ batchId: z.uuid({ error: 'must be a batch id' }) }) },
      responses: page,
    }),
    async (c) => {
      const { batchId } = c.req.valid('param');
      const progress = await batchProgress(deps, batchId);
      if (!progress) throw new HTTPException(404, { message: `No batch with id ${batchId}.` });
      return c.html(<BatchPage progress={progress} csrf={c.get('csrf')} />, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/search',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: find syncs by source invoice id or document number',
      request: { query: z.object({ q: z.string().trim().max(100).default('') }) },
      responses: page,
    }),
    async (c) => {
      const { q } = c.req.valid('query');
      const hits = q ? await search(q) : [];
      if (hits.length === 1) return c.redirect(syncPath(hits[0]), 303);
      return c.html(<SearchPage q={q} syncIds={hits} csrf={c.get('csrf')} />, 200);
    },
  );

  addMappingRoutes(router, deps, session);

  /**
   * Sync ids whose source invoice id is `q` in any connected company, then those whose document number
   * is `q`: read from the memo each sync is started with, over the most recent syncs.
   */
  async function search(q: string): Promise<string[]> {
    const found = new Set<string>();
    for (const { realmId } of await listConnections(deps.db)) {
      const byId = await readSync(deps.temporal, syncWorkflowId(realmId, q));
      if (byId?.syncId && byId.realmId) found.add(byId.syncId);
    }
    let scanned = 0;
    const docNumber = `invoice ${q} (`;
    for await (const wf of deps.temporal.workflow.list({ query: syncListQuery({}), pageSize: 200 })) {
      const description = wf.memo?.description;
      if (typeof description === 'string' && description.includes(docNumber)) found.add(wf.workflowId);
      if (++scanned >= SEARCH_SCAN_LIMIT) break;
    }
    return [...found];
  }

  return router;
}
