import type { RouteHandler } from '@hono/zod-openapi';
import { deleteAdminLink, listLinks } from '../../../db/queries/admin-links';
import { getLink, markLinked } from '../../../db/queries/links';
import type { ApiDeps } from '../../deps';
import { ApiError } from '../../errors';
import { askQuickBooks } from '../../quickbooks-problem';
import type { LinkedEntity, linkRoutes } from './links.routes';
import { linkOut } from './schemas';

type Routes = ReturnType<typeof linkRoutes>;

/** Items and customers: the link rows, exactly what a person's "link" decision writes. */
export function linkHandlers(deps: ApiDeps, entity: LinkedEntity) {
  const { db, qbo } = deps;
  const label = entity.toLowerCase();

  const list: RouteHandler<Routes['list']> = async (c) => {
    const { realmId } = c.req.valid('param');
    return c.json({ realmId, links: (await listLinks(db, realmId, entity)).map(linkOut) }, 200);
  };

  const link: RouteHandler<Routes['link']> = async (c) => {
    const { realmId, sourceId } = c.req.valid('param');
    const record = await askQuickBooks(() => qbo.read(realmId, entity, c.req.valid('json').qboId), {
      realmId,
      publicUrl: deps.config.API_PUBLIC_URL,
      field: 'qboId',
      what: `${entity} record`,
    });
    const saved = await markLinked(
      db,
      { realmId, entityType: entity, sourceId },
      {
        qboId: record.Id,
        syncToken: record.SyncToken,
        // No hash: the next ensure converges the fields qbo-sync owns onto the linked record.
        sourceHash: null,
        linkedBy: 'admin',
      },
    );
    deps.logger.info({ realmId, entity, sourceId, qboId: record.Id }, 'admin linked a source record');
    const name = record[entity === 'Item' ? 'Name' : 'DisplayName'];
    return c.json(
      { ...linkOut(saved), qboName: typeof name === 'string' ? name : null, active: record.Active !== false },
      200,
    );
  };

  const unlink: RouteHandler<Routes['unlink']> = async (c) => {
    const { realmId, sourceId } = c.req.valid('param');
    const key = { realmId, entityType: entity, sourceId };
    const removed = await deleteAdminLink(db, key);
    if (removed) return c.json(linkOut(removed), 200);
    if (await getLink(db, key)) {
      throw new ApiError(
        409,
        'link_not_removable',
        `This ${label} was linked by qbo-sync itself; re-point it with PUT instead of removing it.`,
      );
    }
    throw new ApiError(404, 'not_found', `No ${label} link for source id ${sourceId}.`);
  };

  return { list, link, unlink };
}
