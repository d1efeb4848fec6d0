import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listAllMappings } from '../../db/queries/admin-mappings';
import { upsertMapping } from '../../db/queries/mappings';
import { getPolicy, setPolicy } from '../../db/queries/policies';
import type { ApiDeps } from '../deps';
import { realmIdParam } from '../schemas/common';
import { suggestForStuckSyncs } from '../services/mapping-suggestions';
import { MappingsPage } from './mappings-page';
import { form, tags } from './admin-router';
import type { AdminEnv, AdminSessions } from './session';

const mappingsPath = (realmId: string, notice: string) =>
  `/admin/companies/${encodeURIComponent(realmId)}/mappings?notice=${encodeURIComponent(notice)}`;

/** The mappings-and-policies page and its forms, on the admin tool router. */
export function addMappingRoutes(
  router: OpenAPIHono<AdminEnv>,
  deps: ApiDeps,
  session: ReturnType<AdminSessions['require']>,
) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/companies/{realmId}/mappings',
      tags,
      middleware: [session] as const,
      summary:
        "Admin page: a company's policies, suggestions to link stuck records, tax and account mappings",
      request: { params: realmIdParam, query: z.object({ notice: z.string().max(300).optional() }) },
      responses: { 200: { description: 'HTML page' } },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const suggestions = await suggestForStuckSyncs(deps, realmId).catch((err: Error) => ({
        error: err.message.slice(0, 200),
      }));
      return c.html(
        <MappingsPage
          realmId={realmId}
          policy={await getPolicy(deps.db, realmId)}
          suggestions={suggestions}
          mappings={await listAllMappings(deps.db, realmId)}
          csrf={(c as any).get('csrf')}
          notice={c.req.valid('query').notice}
        />,
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{realmId}/policies',
      tags,
      middleware: [session] as const,
      summary: "Admin page: set the company's policies",
      request: {
        params: realmIdParam,
        body: form({
          onNameCollision: z.enum(['link', 'ask']),
          onInactiveReference: z.enum(['reactivate', 'ask']),
          docNumbers: z.enum(['source', 'quickbooks']),
          onForeignPayment: z.enum(['link', 'ask', 'create']).optional(),
        }),
      },
      responses: { 303: { description: 'Back to the page' } },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const { csrf: _csrf, ...policy } = c.req.valid('form');
      await setPolicy(deps.db, realmId, policy);
      deps.logger.info({ realmId, policy, by: 'admin page' }, 'company policy changed');
      return c.redirect(mappingsPath(realmId, 'Policies saved; retry the waiting syncs to apply them.'), 303);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/companies/{realmId}/tax-categories',
      tags,
      middleware: [session] as const,
      summary: 'Admin page: map a source tax category to a QuickBooks TaxCode (checked in QuickBooks)',
      request: {
        params: realmIdParam,
        body: form({
          category: z.string().trim().min(1).max(100),
          taxCodeId: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9]{1,20}$/, 'must be a TaxCode id'),
        }),
      },
      responses: { 303: { description: 'Back to the page' } },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const { category, taxCodeId } = c.req.valid('form');
      let code: any;
      try {
        code = await deps.qbo.read(realmId, 'TaxCode', taxCodeId);
      } catch (err) {
        return c.redirect(
          mappingsPath(
            realmId,
            `QuickBooks has no usable TaxCode ${taxCodeId}: ${(err as Error).message.slice(0, 120)}`,
          ),
          303,
        );
      }
      if (code?.Active === false)
        return c.redirect(mappingsPath(realmId, `TaxCode ${taxCodeId} is inactive in QuickBooks.`), 303);
      const qboName = typeof code?.Name === 'string' ? code.Name : null;
      await upsertMapping(deps.db, {
        realmId,
        kind: 'tax_category',
        sourceKey: category,
        qboId: code.Id,
        qboName,
      });
      return c.redirect(mappingsPath(realmId, `Tax category ${category} → ${qboName ?? code.Id}.`), 303);
    },
  );
}
