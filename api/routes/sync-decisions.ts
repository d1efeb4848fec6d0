import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { errorResponses, qboIdSchema, syncIdParam } from '../schemas/common';
import { readSync } from '../services/read-sync';
import { decideDrift } from '../../db/queries/link-drift';
import { resolveSignal, retrySignal, steps, type ResolveDecision } from '../../workflows/contract';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const note = z.string().max(500).optional();

const decisionSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('link'),
      step: z.enum(steps),
      sourceId: z.string().min(1).max(100),
      qboId: qboIdSchema,
      note,
    }),
    z.strictObject({
      kind: z.literal('manual'),
      step: z.enum(steps),
      sourceId: z.string().min(1).max(100),
      qboId: qboIdSchema.optional(),
      note,
    }),
    z.strictObject({ kind: z.literal('redate'), txnDate: isoDate, note }),
    // For changed_in_quickbooks: re-create the record, or overwrite QuickBooks with the source's version.
    // (Accepting QuickBooks' version is `manual`.)
    z.strictObject({
      kind: z.enum(['recreate', 'overwrite']),
      step: z.enum(['invoice', 'payments']),
      sourceId: z.string().min(1).max(100),
      note,
    }),
  ])
  .openapi('ResolveDecision');

const accepted = {
  202: { description: 'Signalled', content: { 'application/json': { schema: z.any() } } },
  ...errorResponses,
};

const retryRoute = createRoute({
  method: 'post',
  path: '/{id}/retry',
  summary: 'Resume a sync that needs attention, after the cause was fixed',
  request: {
    params: syncIdParam,
    body: { required: false, content: { 'application/json': { schema: z.strictObject({ note }) } } },
  },
  responses: accepted,
});

const resolveRoute = createRoute({
  method: 'post',
  path: '/{id}/resolve',
  summary:
    "Record a person's decision: link to an existing QuickBooks record, mark entered by hand, or re-date the invoice",
  request: {
    params: syncIdParam,
    body: { required: true, content: { 'application/json': { schema: decisionSchema } } },
  },
  responses: accepted,
});

/** Admin decisions on one sync; each lands in the workflow's history as a signal. */
export function createSyncDecisionRoutes(deps: ApiDeps) {
  const router = createRouter();
  const admin = requireRole('admin', deps.config);
  router.use('/:id/retry', admin);
  router.use('/:id/resolve', admin);

  async function waitingSync(id: string) {
    const sync = await readSync(deps.temporal, id);
    if (!sync) throw new ApiError(404, 'sync_not_found', `No sync with id ${id}.`);
    if (sync.state !== 'needs_attention' && sync.state !== 'paused') {
      throw new ApiError(
        409,
        'sync_not_waiting',
        `The sync is ${sync.state}; only a paused or needs_attention sync can be retried or resolved.`,
      );
    }
    return sync;
  }

  router.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid('param');
    await waitingSync(id);
    await deps.temporal.workflow
      .getHandle(id)
      .signal(retrySignal, { note: (await c.req.json().catch(() => ({})))?.note });
    return c.json({ syncId: id, signalled: 'retry' }, 202);
  });

  router.openapi(resolveRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const sync = await waitingSync(id);
    const failing = sync.lastError;
    if (body.kind === 'recreate' || body.kind === 'overwrite') {
      if (
        failing?.pattern !== 'changed_in_quickbooks' ||
        failing.step !== body.step ||
        failing.sourceId !== body.sourceId
      ) {
        throw new ApiError(
          409,
          'decision_not_applicable',
          'Re-create and overwrite apply to the record a sync is waiting on with changed_in_quickbooks.',
        );
      }
      // The choice is kept on the link; the retry makes the sync's next write act on it.
      const entityType = body.step === 'invoice' ? 'Invoice' : 'Payment';
      const realmId = sync.realmId ?? id.split(':')[1] ?? '';
      await decideDrift(deps.db, { realmId, entityType, sourceId: body.sourceId }, body.kind);
      await deps.temporal.workflow.getHandle(id).signal(retrySignal, {
        note: `${body.kind} (changed in QuickBooks)${body.note ? `: ${body.note}` : ''}`,
      });
      return c.json({ syncId: id, signalled: 'retry', decision: body }, 202);
    }
    const decision = body as ResolveDecision;
    if (decision.kind === 'redate') {
      if (failing?.pattern !== 'closed_period') {
        throw new ApiError(
          409,
          'decision_not_applicable',
          'Re-dating applies to a sync stopped by a closed accounting period.',
        );
      }
    } else if (failing?.step !== decision.step || failing?.sourceId !== decision.sourceId) {
      throw new ApiError(
        409,
        'decision_not_applicable',
        `The sync is waiting on step ${failing?.step} record ${failing?.sourceId}; a decision must name that step and sourceId.`,
      );
    }
    await deps.temporal.workflow.getHandle(id).signal(resolveSignal, decision);
    return c.json({ syncId: id, signalled: 'resolve', decision }, 202);
  });
  return router;
}
