import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { errorResponses, realmIdParam } from '../schemas/common';
import { resumeCompany, resumeTriggers } from '../services/resume-company';

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
  for (const { path, reason, summary } of resumeTriggers) {
    router.use(`/:realmId/${path}`, admin);
    router.openapi(resumeRoute(`/{realmId}/${path}`, summary), async (c) => {
      const { realmId } = c.req.valid('param');
      return c.json({ realmId, ...(await resumeCompany(deps, realmId, reason, 'api')) }, 200);
    });
  }
  return router;
}
