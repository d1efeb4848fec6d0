import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { errorResponses, realmIdParam } from '../schemas/common';
import type { PauseReason } from '../../workflows/contract';

const resumeRoute = (path: string, summary: string) =>
  createRoute({
    method: 'post',
    path,
    summary,
    request: { params: realmIdParam },
    responses: {
      200: {
        description: 'How many syncs were signalled, had already finished, or could not be reached',
        content: {
          'application/json': {
            schema: z.object({
              realmId: z.string(),
              signalled: z.number(),
              finished: z.number(),
              failed: z.number(),
            }),
          },
        },
      },
      ...errorResponses,
    },
  });

/**
 * Resume every sync of a company paused for a reason, found from our own records of waiting syncs and
 * the company's running syncs. `failed` counts signals that could not be delivered after retries: those
 * syncs still resume on their own at their next self-check.
 */
export function createResumeRoutes(deps: ApiDeps) {
  const router = createRouter();
  const admin = requireRole('admin', deps.config);
  router.use('/:realmId/reconnected', admin);
  router.use('/:realmId/period-reopened', admin);
  const resume = (reason: PauseReason) => async (c: any) => {
    const { realmId } = c.req.valid('param');
    const outcome = await deps.resumePausedSyncs(realmId, reason);
    deps.logger.info({ realmId, reason, ...outcome }, 'paused syncs resumed');
    return c.json({ realmId, ...outcome }, 200);
  };
  router.openapi(
    resumeRoute('/{realmId}/reconnected', 'The company was reconnected: resume its syncs paused for auth'),
    resume('auth'),
  );
  router.openapi(
    resumeRoute(
      '/{realmId}/period-reopened',
      'The closed period was reopened: resume its syncs paused for closed_period',
    ),
    resume('closed_period'),
  );
  return router;
}
