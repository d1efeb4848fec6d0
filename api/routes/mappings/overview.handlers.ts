import type { RouteHandler } from '@hono/zod-openapi';
import { listLinks } from '../../../db/queries/admin-links';
import { listAllMappings } from '../../../db/queries/admin-mappings';
import type { ApiDeps } from '../../deps';
import { validationError } from '../../errors';
import { askQuickBooks } from '../../quickbooks-problem';
import { suggestForName, suggestForStuckSyncs } from '../../services/mapping-suggestions';
import type { overviewRoutes } from './overview.routes';
import { linkOut, mappingOut } from './schemas';

type Routes = typeof overviewRoutes;

/** A company's mappings at once, and QuickBooks records that may be the item or customer a sync needs. */
export function overviewHandlers(deps: ApiDeps) {
  const { db, qbo } = deps;

  const all: RouteHandler<Routes['all']> = async (c) => {
    const { realmId } = c.req.valid('param');
    const [rows, items, customers] = await Promise.all([
      listAllMappings(db, realmId),
      listLinks(db, realmId, 'Item'),
      listLinks(db, realmId, 'Customer'),
    ]);
    const adminLinks = [...items, ...customers]
      .filter((l) => l.linkedBy === 'admin')
      .map((l) => ({ entity: l.entityType, ...linkOut(l) }));
    return c.json({ realmId, mappings: rows.map(mappingOut), adminLinks }, 200);
  };

  const suggestions: RouteHandler<Routes['suggestions']> = async (c) => {
    const { realmId } = c.req.valid('param');
    const { entity, name } = c.req.valid('query');
    if (name && !entity)
      throw validationError([{ path: 'entity', reason: 'say which records to search: Item or Customer' }]);
    const found = await askQuickBooks(
      async () =>
        name
          ? [await suggestForName(qbo, realmId, entity!, name)]
          : await suggestForStuckSyncs(deps, realmId, entity),
      { realmId, publicUrl: deps.config.API_PUBLIC_URL, field: 'realmId', what: 'company' },
    );
    return c.json({ realmId, suggestions: found }, 200);
  };

  return { all, suggestions };
}
