import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createRouter } from '../router';
import type { ApiDeps } from '../deps';
import { ApiError, fieldErrors, type FieldError } from '../errors';
import { errorResponses } from '../schemas/common';
import { syncDocumentSchema } from '../schemas/sync-document';
import { checkDocumentAgainstCompany } from '../services/check-document';
import { enqueueSync, syncTimings } from '../services/enqueue-sync';
import { listSyncs } from '../services/list-syncs';
import { batches, batchItems } from '../../db/schema';
import { syncStates, type SyncState } from '../../workflows/contract';

export const MAX_BATCH = 500;

const batchRoute = createRoute({
  method: 'post',
  path: '/',
  summary: `Enqueue up to ${MAX_BATCH} documents at once (backfill), with a result per document`,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            // Each document is validated on its own below, so one bad document does not reject the rest.
            documents: z
              .array(z.unknown())
              .min(1, 'send at least one document')
              .max(MAX_BATCH, `at most ${MAX_BATCH} documents per batch: split the backfill`),
          }),
        },
      },
    },
  },
  responses: {
    202: { description: 'Per-document results', content: { 'application/json': { schema: z.any() } } },
    ...errorResponses,
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/{batchId}',
  summary: 'Progress of a batch: counts per state, done/total',
  request: { params: z.object({ batchId: z.uuid({ error: 'must be a batch id' }) }) },
  responses: {
    200: { description: 'Batch progress', content: { 'application/json': { schema: z.any() } } },
    ...errorResponses,
  },
});

type ItemResult = {
  index: number;
  syncId?: string;
  outcome: 'started' | 'submitted' | 'unchanged' | 'rejected';
  fields?: FieldError[];
};

/** `/v1/syncs/batch`: the source app's backfill path. */
export function createSyncBatchRoutes(deps: ApiDeps) {
  const router = createRouter();

  router.openapi(batchRoute, async (c) => {
    const { documents } = c.req.valid('json');
    const batchId = randomUUID();
    const results: ItemResult[] = new Array(documents.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < documents.length; index = next++) {
        const parsed = syncDocumentSchema.safeParse(documents[index]);
        const fields = parsed.success
          ? await checkDocumentAgainstCompany(deps.db, parsed.data)
          : fieldErrors(parsed.error);
        if (!parsed.success || fields.length) {
          results[index] = {
            index,
            outcome: 'rejected',
            fields: fields.map((f) => ({ ...f, path: `documents.${index}.${f.path}` })),
          };
          continue;
        }
        const { syncId, outcome } = await enqueueSync(
          deps.temporal,
          deps.config.TEMPORAL_TASK_QUEUE,
          parsed.data,
          batchId,
          syncTimings(deps.config),
        );
        results[index] = { index, syncId, outcome };
      }
    };
    await deps.db.insert(batches).values({ id: batchId, total: documents.length });
    await Promise.all(Array.from({ length: 16 }, worker));
    await deps.db.insert(batchItems).values(
      results.map((r) => ({
        batchId,
        position: r.index,
        syncId: r.syncId ?? null,
        outcome: r.outcome,
        error: r.fields ?? null,
      })),
    );
    const rejected = results.filter((r) => r.outcome === 'rejected').length;
    return c.json(
      {
        batchId,
        total: documents.length,
        accepted: documents.length - rejected,
        rejected,
        results,
        statusUrl: `${deps.config.API_PUBLIC_URL}/v1/syncs/batch/${batchId}`,
      },
      202,
    );
  });

  router.openapi(statusRoute, async (c) => {
    const { batchId } = c.req.valid('param');
    const [batch] = await deps.db.select().from(batches).where(eq(batches.id, batchId));
    if (!batch) throw new ApiError(404, 'batch_not_found', `No batch with id ${batchId}.`);
    const items = await deps.db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
    const counts = Object.fromEntries(syncStates.map((s) => [s, 0])) as Record<SyncState, number>;
    // Documents that already matched QuickBooks count as completed; the rest are read from visibility.
    counts.completed += items.filter((i) => i.outcome === 'unchanged').length;
    const live = await listSyncs(deps.temporal, { batchId, limit: batch.total });
    const latestPerSync = new Map<string, SyncState>();
    for (const s of live) if (!latestPerSync.has(s.syncId)) latestPerSync.set(s.syncId, s.state);
    // Counted per document: a document sent twice in one batch is two items of the same sync.
    for (const item of items) {
      if (item.outcome === 'rejected' || item.outcome === 'unchanged' || !item.syncId) continue;
      counts[latestPerSync.get(item.syncId) ?? 'queued'] += 1;
    }
    const rejected = items.filter((i) => i.outcome === 'rejected').length;
    const done = counts.completed + counts.failed + rejected;
    return c.json(
      { batchId, total: batch.total, rejected, counts, done, finished: done === batch.total },
      200,
    );
  });
  return router;
}
