import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { createRouter } from '../router';
import { sizeInWords } from '../size-in-words';
import type { ApiDeps } from '../deps';
import { ApiError, fieldErrors, type FieldError } from '../errors';
import { errorResponses } from '../schemas/common';
import { syncDocumentSchema } from '../schemas/sync-document';
import { createDocumentCheck } from '../services/check-document';
import { recordSourceDocument } from '../../db/queries/source-documents';
import { enqueueSync, syncTimings } from '../services/enqueue-sync';
import { batchProgress } from '../services/batch-progress';
import { batches, batchItems } from '../../db/schema';

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
  const router = createRouter({ itemsCheckedByRoute: true });

  router.openapi(batchRoute, async (c) => {
    const { documents } = c.req.valid('json');
    const batchId = randomUUID();
    const results: ItemResult[] = new Array(documents.length);
    const check = createDocumentCheck(deps.db);
    const timings = syncTimings(deps.config);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < documents.length; index = next++) {
        const bytes = Buffer.byteLength(JSON.stringify(documents[index]) ?? '');
        if (bytes > deps.config.MAX_DOCUMENT_BYTES) {
          results[index] = {
            index,
            outcome: 'rejected',
            fields: [
              {
                path: `documents.${index}`,
                reason: `is ${bytes} bytes of JSON; a document may be at most ${sizeInWords(deps.config.MAX_DOCUMENT_BYTES)}: split the invoice or shorten its descriptions`,
              },
            ],
          };
          continue;
        }
        const parsed = syncDocumentSchema.safeParse(documents[index]);
        const fields = parsed.success ? await check(parsed.data) : fieldErrors(parsed.error);
        if (!parsed.success || fields.length) {
          results[index] = {
            index,
            outcome: 'rejected',
            fields: fields.map((f) => ({ ...f, path: `documents.${index}.${f.path}` })),
          };
          continue;
        }
        const likelyNew = await recordSourceDocument(deps.db, parsed.data);
        try {
          const { syncId, outcome } = await enqueueSync(
            deps.temporal,
            deps.config.TEMPORAL_TASK_QUEUE,
            parsed.data,
            { batchId, timings, likelyNew },
          );
          results[index] = { index, syncId, outcome };
        } catch (err) {
          // One document raced by concurrent submissions must not fail the documents already enqueued.
          if (!(err instanceof ApiError && err.code === 'sync_busy')) throw err;
          results[index] = {
            index,
            outcome: 'rejected',
            fields: [{ path: `documents.${index}`, reason: `${err.message} (sync_busy)` }],
          };
        }
      }
    };
    await deps.db.insert(batches).values({ id: batchId, total: documents.length });
    // Bounded: each worker holds a database connection and a Temporal call at a time.
    const workers = Math.min(deps.config.BATCH_ENQUEUE_CONCURRENCY, documents.length);
    await Promise.all(Array.from({ length: workers }, worker));
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
    const progress = await batchProgress(deps, batchId);
    if (!progress) throw new ApiError(404, 'batch_not_found', `No batch with id ${batchId}.`);
    return c.json(progress, 200);
  });
  return router;
}
