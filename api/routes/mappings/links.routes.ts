import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, qboIdSchema, realmIdParam } from '../../schemas/common';
import { json, linkView, security, sourceKeyParam } from './schemas';

export type LinkedEntity = 'Item' | 'Customer';

/** The OpenAPI routes of one entity's links (`items` ↔ Item, `customers` ↔ Customer). */
export function linkRoutes(segment: 'items' | 'customers', entity: LinkedEntity) {
  const label = entity.toLowerCase();
  const sourceIdParams = realmIdParam.extend({ sourceId: sourceKeyParam('sourceId', `${label}-1001`) });
  return {
    list: createRoute({
      method: 'get',
      path: `/{realmId}/${segment}`,
      summary: `List ${label} links (source id ↔ QuickBooks ${entity} id), made by syncs and by admins`,
      security,
      request: { params: realmIdParam },
      responses: {
        200: json(z.object({ realmId: z.string(), links: z.array(linkView) }), 'Links'),
        ...errorResponses,
      },
    }),
    link: createRoute({
      method: 'put',
      path: `/{realmId}/${segment}/{sourceId}`,
      summary: `Link a source ${label} to an existing QuickBooks ${entity} (checked in QuickBooks first)`,
      description: `The next sync (or a retry) uses this ${entity} instead of creating one, and brings the fields qbo-sync owns up to date on it.`,
      security,
      request: {
        params: sourceIdParams,
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ qboId: qboIdSchema }) } },
        },
      },
      responses: {
        200: json(linkView.extend({ qboName: z.string().nullable(), active: z.boolean() }), 'Linked'),
        ...errorResponses,
      },
    }),
    unlink: createRoute({
      method: 'delete',
      path: `/{realmId}/${segment}/{sourceId}`,
      summary: `Remove a ${label} link an admin made (links made by syncs are the exactly-once ledger and stay)`,
      security,
      request: { params: sourceIdParams },
      responses: { 200: json(linkView, 'Removed'), ...errorResponses },
    }),
  };
}
