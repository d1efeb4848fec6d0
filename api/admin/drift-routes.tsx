import { createRoute, z } from '@hono/zod-openapi';
import { getConnectionSummary } from '../../db/queries/connections';
import { getLink } from '../../db/queries/links';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { realmIdParam, syncIdParam } from '../schemas/common';
import { wakeChangeTracker } from '../services/change-tracker';
import { listDriftItems } from '../services/drift-list';
import { listSyncs } from '../services/list-syncs';
import { readSync } from '../services/read-sync';
import { resolveSync, type SyncDecision } from '../services/resolve-sync';
import { companyPath, createAdminRouter, form, htmlPage, redirect, tags, withNotice } from './admin-router';
import { DriftPage, type WaitingOn } from './drift-page';
import { NotFoundPage } from './pages';
import type { AdminEnv, AdminSessions } from './session';

const driftPath = (realmId: string) => `${companyPath(realmId)}/drift`;
/** At most this many waiting syncs are read (one query each) to place the decision buttons. */
const WAITING_READS = 50;

/**
 * The drift page under /admin/companies/{realmId}: what changed in QuickBooks, with the decisions. The
 * buttons go through resolveSync, the service behind `POST /v1/syncs/{id}/resolve`.
 */
export function createDriftAdminRoutes(deps: ApiDeps, session: ReturnType<AdminSessions['require']>) {
  const router = createAdminRouter<AdminEnv>(deps);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/drift',
      tags,
      middleware: [session] as const,
      summary: "Admin page: the company's records changed in QuickBooks, with the decision buttons",
      request: { params: realmIdParam, query: z.object({ notice: z.string().max(300).optional() }) },
      responses: { 200: htmlPage, 404: htmlPage },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const csrf = c.get('csrf');
      if (!(await getConnectionSummary(deps.db, realmId)))
        return c.html(<NotFoundPage what={`No company ${realmId} is connected.`} csrf={csrf} />, 404);
      const items = await listDriftItems(deps, realmId);
      // The list is ours (Postgres); only the buttons need Temporal, so the page survives it being away.
      const waiting = await waitingOnChanges(deps, realmId).catch(() => null);
      return c.html(
        <DriftPage
          realmId={realmId}
          items={items}
          waiting={waiting}
          csrf={csrf}
          notice={c.req.valid('query').notice}
        />,
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{realmId}/drift/sweep',
      tags,
      middleware: [session] as const,
      summary: "Admin page: check the company's changes in QuickBooks now (change data capture)",
      request: { params: realmIdParam, body: form({}) },
      responses: redirect,
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      await wakeChangeTracker(deps.temporal, deps.config, realmId, 'sweep');
      return c.redirect(withNotice(driftPath(realmId), 'Checking QuickBooks: reload in a moment.'), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/syncs/{id}/drift-decision',
      tags,
      middleware: [session] as const,
      summary:
        "Admin page: decide on a record changed in QuickBooks: re-create it, overwrite QuickBooks, or accept QuickBooks' version",
      request: {
        params: syncIdParam,
        body: form({
          choice: z.enum(['recreate', 'overwrite', 'accept']),
          step: z.enum(['invoice', 'payments']),
          sourceId: z.string().min(1).max(100),
        }),
      },
      responses: redirect,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { choice, step, sourceId } = c.req.valid('form');
      const realmId = id.split(':')[1] ?? '';
      const back = driftPath(realmId);
      let decision: SyncDecision;
      if (choice === 'accept') {
        // Accepting keeps the link on the record QuickBooks still has (a voided one); a deleted one has none.
        const entityType = step === 'invoice' ? 'Invoice' : 'Payment';
        const link = await getLink(deps.db, { realmId, entityType, sourceId });
        const kept = (link?.drift as { kind?: string } | null)?.kind !== 'deleted' ? link?.qboId : null;
        decision = {
          kind: 'manual',
          step,
          sourceId,
          ...(kept ? { qboId: kept } : {}),
          note: "accepted QuickBooks' version (admin page)",
        };
      } else decision = { kind: choice, step, sourceId, note: 'admin page' };
      try {
        await resolveSync(deps, id, decision);
      } catch (err) {
        if (err instanceof ApiError) return c.redirect(withNotice(back, err.message), 303);
        throw err;
      }
      deps.logger.info({ syncId: id, choice, step, sourceId, by: 'admin page' }, 'drift decision');
      const done = {
        recreate: 'Re-creating',
        overwrite: 'Overwriting QuickBooks with the source for',
        accept: "Accepting QuickBooks' version of",
      }[choice];
      return c.redirect(withNotice(back, `${done} ${step} record ${sourceId}.`), 303);
    },
  );
  return router;
}

/** The syncs of the company waiting with changed_in_quickbooks, and the record each waits on. */
async function waitingOnChanges(deps: ApiDeps, realmId: string): Promise<Map<string, WaitingOn>> {
  const listed = await listSyncs(deps.temporal, {
    realmId,
    pattern: 'changed_in_quickbooks',
    limit: WAITING_READS,
  });
  const waiting = new Map<string, WaitingOn>();
  for (const item of listed) {
    const sync = await readSync(deps.temporal, item.syncId);
    const error = sync?.lastError;
    if (
      sync?.state === 'needs_attention' &&
      error?.pattern === 'changed_in_quickbooks' &&
      error.step &&
      error.sourceId
    )
      waiting.set(item.syncId, { step: error.step, sourceId: error.sourceId });
  }
  return waiting;
}
