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
        description: 'How many syncs were signalled',
        content: { 'application/json': { schema: z.object({ realmId: z.string(), signalled: z.number() }) } },
      },
      ...errorResponses,
    },
  });

/** Resume every sync of a company paused for a reason, found through search attributes. */
export function createResumeRoutes(deps: ApiDeps) {
  const router = createRouter();
  const admin = requireRole('admin', deps.config);
  for (const { path, reason, summary } of resumeTriggers) {
    router.use(`/:realmId/${path}`, admin);
    router.openapi(resumeRoute(`/{realmId}/${path}`, summary), async (c) => {
      const { realmId } = c.req.valid('param');
      return c.json({ realmId, signalled: await resumeCompany(deps, realmId, reason, 'api') }, 200);
    });
  }
  return router;
}
