import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, realmIdParam, taxCodeIdSchema } from '../../schemas/common';
import {
  accountBody,
  accountKeys,
  json,
  mappingView,
  removedView,
  security,
  sourceKeyParam,
} from './schemas';

const categoryParams = realmIdParam.extend({ category: sourceKeyParam('category', 'standard') });

/** The OpenAPI routes of the tax category → TaxCode mappings. */
export const taxCategoryRoutes = {
  list: createRoute({
    method: 'get',
    path: '/{realmId}/tax-categories',
    summary: 'List tax category → QuickBooks TaxCode mappings',
    security,
    request: { params: realmIdParam },
    responses: {
      200: json(z.object({ realmId: z.string(), mappings: z.array(mappingView) }), 'Mappings'),
      ...errorResponses,
    },
  }),
  map: createRoute({
    method: 'put',
    path: '/{realmId}/tax-categories/{category}',
    summary:
      "Map a source tax category to one of the company's QuickBooks TaxCodes (checked in QuickBooks first)",
    security,
    request: {
      params: categoryParams,
      body: {
        required: true,
        content: { 'application/json': { schema: z.strictObject({ taxCodeId: taxCodeIdSchema }) } },
      },
    },
    responses: { 200: json(mappingView, 'Mapped'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{realmId}/tax-categories/{category}',
    summary: 'Remove a tax category mapping (documents using the category are then refused with 422)',
    security,
    request: { params: categoryParams },
    responses: { 200: json(removedView, 'Removed'), ...errorResponses },
  }),
};

export type AccountKind = keyof typeof accountKeys;

/** The OpenAPI routes of one account mapping (income accounts per item type, the deposit account). */
export function accountRoutes(segment: 'income-accounts' | 'deposit-accounts', kind: AccountKind) {
  const keyParams = realmIdParam.extend({
    key: z.enum(accountKeys[kind]).openapi({ param: { name: 'key', in: 'path' }, example: 'default' }),
  });
  const what =
    kind === 'income_account' ? 'income account (per item type, or default)' : 'deposit account for payments';
  return {
    map: createRoute({
      method: 'put',
      path: `/{realmId}/${segment}/{key}`,
      summary: `Map the ${what}, by QuickBooks account id or by its name`,
      security,
      request: {
        params: keyParams,
        body: { required: true, content: { 'application/json': { schema: accountBody } } },
      },
      responses: { 200: json(mappingView, 'Mapped'), ...errorResponses },
    }),
    remove: createRoute({
      method: 'delete',
      path: `/{realmId}/${segment}/{key}`,
      summary: `Remove the ${what} mapping (qbo-sync falls back to QuickBooks' standard account)`,
      security,
      request: { params: keyParams },
      responses: { 200: json(removedView, 'Removed'), ...errorResponses },
    }),
  };
}
