import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, validationError } from '../errors';
import { errorResponses, syncIdParam } from '../schemas/common';
import { syncDocumentSchema } from '../schemas/sync-document';
import { createDocumentCheck } from '../services/check-document';
import { recordSourceDocument } from '../../db/queries/source-documents';
import { enqueueSync, syncTimings } from '../services/enqueue-sync';
import { ensureChangeTracker } from '../services/change-tracker';
import { listSyncs } from '../services/list-syncs';
import { readSync } from '../services/read-sync';
import { syncLinks } from '../services/sync-links';
import { syncStates, errorPatterns } from '../../workflows/contract';
import { createSyncBatchRoutes } from './sync-batches';
import { createSyncDecisionRoutes } from './sync-decisions';

const enqueueRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Enqueue a sync of one invoice document',
  description:
    'A document may be at most MAX_DOCUMENT_BYTES of JSON (512 KiB by default, well under the 2 MB Temporal accepts for one payload); a larger one is refused at once with 413.',
  request: { body: { required: true, content: { 'application/json': { schema: syncDocumentSchema } } } },
  responses: {
    202: {
      description: 'Accepted: the sync runs (or a newer version was handed to it, or it already matches)',
      content: {
        'application/json': {
          schema: z.object({
            syncId: z.string(),
            outcome: z.enum(['started', 'submitted', 'unchanged']),
            statusUrl: z.string(),
            temporalUiUrl: z.string(),
          }),
        },
      },
    },
    ...errorResponses,
    413: {
      description: 'The document is larger than MAX_DOCUMENT_BYTES (512 KiB by default)',
      content: errorResponses[422].content,
    },
    503: {
      description:
        'sync_busy: concurrent submissions of the same invoice kept changing its sync through every attempt; nothing was lost, send the document again',
      content: errorResponses[422].content,
    },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'List syncs (newest first), for the diagnostics',
  request: {
    query: z.object({
      realmId: z.string().max(64).optional(),
      state: z.enum(syncStates).optional(),
      pattern: z.enum(errorPatterns).optional(),
      /** `true`: syncs that met a record of theirs changed in QuickBooks, waiting or since resolved. */
      changedInQuickbooks: z.enum(['true']).optional(),
      batchId: z.string().max(64).optional(),
      before: z.iso
        .datetime({ error: 'must be an ISO date-time (the nextBefore of the previous page)' })
        .optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: 'A page of syncs', content: { 'application/json': { schema: z.any() } } },
    ...errorResponses,
  },
});

const readRoute = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'Read one sync: state, step outcomes with QuickBooks ids, last error',
  request: { params: syncIdParam },
  responses: {
    200: { description: 'The sync', content: { 'application/json': { schema: z.any() } } },
    ...errorResponses,
  },
});

/** `/v1/syncs`: the source app enqueues and reads; admins also retry and resolve. */
export function createSyncRoutes(deps: ApiDeps) {
  const router = createRouter();
  router.use('*', requireRole('source', deps.config));
  router.route('/batch', createSyncBatchRoutes(deps));
  router.route('/', createSyncDecisionRoutes(deps));

  router.openapi(enqueueRoute, async (c) => {
    const doc = c.req.valid('json');
    const fields = await createDocumentCheck(deps.db)(doc);
    if (fields.length) throw validationError(fields);
    const likelyNew = await recordSourceDocument(deps.db, doc);
    const { syncId, outcome } = await enqueueSync(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, doc, {
      timings: syncTimings(deps.config),
      likelyNew,
    });
    deps.logger.info({ realmId: doc.realmId, syncId, outcome }, 'sync enqueued');
    void ensureChangeTracker(deps.temporal, deps.config, doc.realmId).catch((err: Error) =>
      deps.logger.warn({ realmId: doc.realmId, err: err.message }, 'could not start the change tracker'),
    );
    return c.json({ syncId, outcome, ...syncLinks(deps.config, syncId) }, 202);
  });

  router.openapi(listRoute, async (c) => {
    const filter = c.req.valid('query');
    const items = await listSyncs(deps.temporal, filter);
    const nextBefore = items.length === filter.limit ? items[items.length - 1].startedAt : null;
    return c.json(
      { items: items.map((i) => ({ ...i, ...syncLinks(deps.config, i.syncId) })), nextBefore },
      200,
    );
  });

  router.openapi(readRoute, async (c) => {
    const { id } = c.req.valid('param');
    const sync = await readSync(deps.temporal, id);
    if (!sync) throw new ApiError(404, 'sync_not_found', `No sync with id ${id}.`);
    return c.json({ ...sync, ...syncLinks(deps.config, id) }, 200);
  });
  return router;
}
