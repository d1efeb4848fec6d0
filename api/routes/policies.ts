import { createRoute, z } from '@hono/zod-openapi';
import { getPolicy, setPolicy } from '../../db/queries/policies';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { validationError } from '../errors';
import { createRouter } from '../router';
import { errorResponses, realmIdParam } from '../schemas/common';

const security = [{ apiKey: [] }];

const policyFields = {
  onNameCollision: z
    .enum(['link', 'ask'], { error: 'must be link or ask' })
    .describe('link: link an existing QuickBooks record of the same party; ask: stop and ask a person'),
  onInactiveReference: z
    .enum(['reactivate', 'ask'], { error: 'must be reactivate or ask' })
    .describe('reactivate: make an inactive customer or item active again; ask: stop and ask a person'),
  docNumbers: z
    .enum(['source', 'quickbooks'], { error: 'must be source or quickbooks' })
    .describe("source: send the source app's invoice number; quickbooks: let QuickBooks number invoices"),
  onForeignPayment: z
    .enum(['link', 'ask', 'create'], { error: 'must be link, ask or create' })
    .describe(
      'A payment another integration or a person already entered in QuickBooks (same customer, amount, date): ' +
        'link: link it instead of creating ours; ask: stop and ask a person; create: create ours anyway',
    ),
};
const policyView = z.object({ realmId: z.string(), ...policyFields }).openapi('CompanyPolicy');
const policyPatch = z.strictObject({
  onNameCollision: policyFields.onNameCollision.optional(),
  onInactiveReference: policyFields.onInactiveReference.optional(),
  docNumbers: policyFields.docNumbers.optional(),
  onForeignPayment: policyFields.onForeignPayment.optional(),
});
const ok = {
  200: { description: "The company's policy", content: { 'application/json': { schema: policyView } } },
};

/** `/v1/policies/{realmId}` (admin key): what qbo-sync does when QuickBooks already has something. */
export function createPolicyRoutes(deps: ApiDeps) {
  const router = createRouter();
  router.use('*', requireRole('admin', deps.config));

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{realmId}',
      summary: "Read a company's policies (defaults when none were set)",
      security,
      request: { params: realmIdParam },
      responses: { ...ok, ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      return c.json({ realmId, ...(await getPolicy(deps.db, realmId)) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/{realmId}',
      summary: "Set some or all of a company's policies; the others keep their values",
      security,
      request: {
        params: realmIdParam,
        body: { required: true, content: { 'application/json': { schema: policyPatch } } },
      },
      responses: { ...ok, ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const patch = c.req.valid('json');
      if (Object.keys(patch).length === 0) {
        throw validationError([
          {
            path: '(body)',
            reason: 'name at least one of onNameCollision, onInactiveReference, docNumbers, onForeignPayment',
          },
        ]);
      }
      await setPolicy(deps.db, realmId, patch);
      deps.logger.info({ realmId, ...patch }, 'company policy changed');
      return c.json({ realmId, ...(await getPolicy(deps.db, realmId)) }, 200);
    },
  );
  return router;
}
