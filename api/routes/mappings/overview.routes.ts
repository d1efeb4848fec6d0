import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, realmIdParam } from '../../schemas/common';
import { json, linkView, mappingView, security, suggestion } from './schemas';

/** The OpenAPI routes that read across mappings: everything at once, and suggestions by name. */
export const overviewRoutes = {
  all: createRoute({
    method: 'get',
    path: '/{realmId}',
    summary:
      "All of a company's mappings: tax categories, accounts, and the item and customer links admins made",
    security,
    request: { params: realmIdParam },
    responses: {
      200: json(
        z.object({
          realmId: z.string(),
          mappings: z.array(mappingView),
          adminLinks: z.array(linkView.extend({ entity: z.string() })),
        }),
        'Mappings',
      ),
      ...errorResponses,
    },
  }),
  suggestions: createRoute({
    method: 'get',
    path: '/{realmId}/suggestions',
    summary:
      'QuickBooks records that may be the same item or customer: equal normalized names first, then names containing it',
    description:
      "With `name`: candidates for that name. Without: candidates for every customer and item the company's needs_attention syncs are stuck on.",
    security,
    request: {
      params: realmIdParam,
      query: z.object({
        entity: z.enum(['Item', 'Customer']).optional(),
        name: z.string().trim().min(1).max(500).optional(),
      }),
    },
    responses: {
      200: json(z.object({ realmId: z.string(), suggestions: z.array(suggestion) }), 'Suggestions'),
      ...errorResponses,
    },
  }),
};
