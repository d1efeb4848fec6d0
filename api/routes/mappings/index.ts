import { requireRole } from '../../auth';
import type { ApiDeps } from '../../deps';
import { createRouter } from '../../router';
import { linkHandlers } from './links.handlers';
import { linkRoutes } from './links.routes';
import { overviewHandlers } from './overview.handlers';
import { overviewRoutes } from './overview.routes';
import { accountHandlers, taxCategoryHandlers } from './tax-and-accounts.handlers';
import { accountRoutes, taxCategoryRoutes } from './tax-and-accounts.routes';

/**
 * `/v1/mappings/{realmId}/…` (admin key): link source items and customers to existing QuickBooks records,
 * map tax categories to tax codes and item types to accounts, and suggest QuickBooks records by name.
 * Route definitions live in `*.routes.ts`, their handlers in `*.handlers.ts`.
 */
export function createMappingRoutes(deps: ApiDeps) {
  const router = createRouter();
  router.use('*', requireRole('admin', deps.config));

  for (const [segment, entity] of [
    ['items', 'Item'],
    ['customers', 'Customer'],
  ] as const) {
    const routes = linkRoutes(segment, entity);
    const handlers = linkHandlers(deps, entity);
    router.openapi(routes.list, handlers.list);
    router.openapi(routes.link, handlers.link);
    router.openapi(routes.unlink, handlers.unlink);
  }

  const tax = taxCategoryHandlers(deps);
  router.openapi(taxCategoryRoutes.list, tax.list);
  router.openapi(taxCategoryRoutes.map, tax.map);
  router.openapi(taxCategoryRoutes.remove, tax.remove);

  for (const [segment, kind, accountTypes] of [
    ['income-accounts', 'income_account', ['Income']],
    ['deposit-accounts', 'deposit_account', ['Bank', 'Other Current Asset']],
  ] as const) {
    const routes = accountRoutes(segment, kind);
    const handlers = accountHandlers(deps, kind, accountTypes);
    router.openapi(routes.map, handlers.map);
    router.openapi(routes.remove, handlers.remove);
  }

  const overview = overviewHandlers(deps);
  router.openapi(overviewRoutes.all, overview.all);
  router.openapi(overviewRoutes.suggestions, overview.suggestions);
  return router;
}
