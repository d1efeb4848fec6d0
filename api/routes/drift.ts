import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { errorResponses } from '../schemas/common';
import { createRouter } from '../router';
import { listDriftItems } from '../services/drift-list';
import { wakeChangeTracker } from '../services/change-tracker';

const realmParam = z.object({
  realmId: z.string().regex(/^\d{1,32}$/, 'must be a QuickBooks company id (digits)'),
});

const listRoute = createRoute({
  method: 'get',
  path: '/{realmId}/drift',
  summary: 'Records we synced that were changed, voided or deleted in QuickBooks since',
  request: { params: realmParam },
  responses: {
    200: {
      description: 'The drifted records, newest first',
      content: { 'application/json': { schema: z.any() } },
    },
    ...errorResponses,
  },
});

const sweepRoute = createRoute({
  method: 'post',
  path: '/{realmId}/drift/sweep',
  summary: "Sweep the company's changes in QuickBooks now (change data capture)",
  request: { params: realmParam },
  responses: {
    202: {
      description: 'The change tracker was signalled',
      content: { 'application/json': { schema: z.any() } },
    },
    ...errorResponses,
  },
});

/** `GET /v1/companies/{realmId}/drift` and a sweep on demand. */
export function createDriftRoutes(deps: ApiDeps) {
  const router = createRouter();
  router.use('/:realmId/drift', requireRole('admin', deps.config));
  router.use('/:realmId/drift/*', requireRole('admin', deps.config));

  router.openapi(listRoute, async (c) => {
    const { realmId } = c.req.valid('param');
    const items = await listDriftItems(deps, realmId);
    return c.json({ realmId, items }, 200);
  });

  router.openapi(sweepRoute, async (c) => {
    const { realmId } = c.req.valid('param');
    const trackerId = await wakeChangeTracker(deps.temporal, deps.config, realmId, 'sweep');
    return c.json({ realmId, trackerId, signalled: 'sweepNow' }, 202);
  });
  return router;
}
