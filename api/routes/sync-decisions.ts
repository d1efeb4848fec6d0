import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { errorResponses, qboIdSchema, syncIdParam } from '../schemas/common';
import { resolveSync, waitingSync } from '../services/resolve-sync';
import { retrySignal, steps } from '../../workflows/contract';

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

  router.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid('param');
    await waitingSync(deps, id);
    await deps.temporal.workflow
      .getHandle(id)
      .signal(retrySignal, { note: (await c.req.json().catch(() => ({})))?.note });
    return c.json({ syncId: id, signalled: 'retry' }, 202);
  });

  router.openapi(resolveRoute, async (c) => {
    const { id } = c.req.valid('param');
    const outcome = await resolveSync(deps, id, c.req.valid('json'));
    return c.json({ syncId: id, signalled: outcome.signalled, decision: outcome.decision }, 202);
  });
  return router;
}
