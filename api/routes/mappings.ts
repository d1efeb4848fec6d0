import { createRoute, z } from '@hono/zod-openapi';
import { escapeQueryValue, type QboRecord } from '../../quickbooks/client';
import { QboFault } from '../../quickbooks/faults';
import { deleteAdminLink, listLinks } from '../../db/queries/admin-links';
import { deleteMapping, listAllMappings } from '../../db/queries/admin-mappings';
import { getLink, markLinked, type Link } from '../../db/queries/links';
import { listMappings, upsertMapping } from '../../db/queries/mappings';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, validationError } from '../errors';
import { createRouter } from '../router';
import { errorResponses, realmIdParam } from '../schemas/common';
import { suggestForName, suggestForStuckSyncs } from '../services/mapping-suggestions';

const security = [{ apiKey: [] }];
const qboId = z.string().regex(/^\d{1,20}$/, 'must be a QuickBooks record id (digits)');
/** US companies' tax codes are the literal TAX and NON; every other company's are numeric ids. */
const taxCodeId = z
  .string()
  .regex(/^(\d{1,20}|TAX|NON)$/, 'must be a QuickBooks tax code id (digits, or TAX / NON)');
const sourceKeyParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: 'path' }, example });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const linkView = z
  .object({
    sourceId: z.string(),
    qboId: z.string().nullable(),
    status: z.string(),
    linkedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('LinkMapping');
const mappingView = z
  .object({
    kind: z.string(),
    sourceKey: z.string(),
    qboId: z.string(),
    qboName: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Mapping');
const candidate = z.object({
  qboId: z.string(),
  name: z.string(),
  active: z.boolean(),
  match: z.enum(['exact', 'contains']),
});
const suggestion = z
  .object({
    entity: z.enum(['Item', 'Customer']),
    name: z.string(),
    sourceId: z.string().optional(),
    syncId: z.string().optional(),
    candidates: z.array(candidate),
  })
  .openapi('MappingSuggestion');

const accountKeys = {
  income_account: ['default', 'Service', 'NonInventory', 'Inventory'] as const,
  deposit_account: ['default'] as const,
};
const accountBody = z
  .strictObject({ accountId: qboId.optional(), accountName: z.string().trim().min(1).max(100).optional() })
  .refine((b) => Boolean(b.accountId) !== Boolean(b.accountName), {
    message: 'give exactly one of accountId or accountName',
  });

function linkOut(l: Link): z.infer<typeof linkView> {
  return {
    sourceId: l.sourceId,
    qboId: l.qboId,
    status: l.status,
    linkedBy: l.linkedBy,
    updatedAt: l.updatedAt.toISOString(),
  };
}

/**
 * Turns a QuickBooks failure while checking an admin's choice into an answer the admin can act on:
 * an unknown record → 422 on `field`; an expired connection → 409; QuickBooks down → 502.
 */
export function quickBooksProblem(err: unknown, field: string, what: string): never {
  if (!(err instanceof QboFault)) throw err;
  const { pattern, message } = err.fault;
  if (pattern === 'auth_expired' || pattern === 'auth_forbidden' || pattern === 'company_status') {
    throw new ApiError(
      409,
      'connection_unusable',
      `QuickBooks refused access (${pattern}): reconnect the company, then try again.`,
    );
  }
  if (pattern === 'throttled' || pattern === 'transient_server') {
    throw new ApiError(
      502,
      'quickbooks_unavailable',
      `QuickBooks did not answer (${message}); try again shortly.`,
    );
  }
  throw validationError([{ path: field, reason: `QuickBooks has no ${what} with this id (${message})` }]);
}

/**
 * `/v1/mappings/{realmId}/…` (admin key): link source items and customers to existing QuickBooks records,
 * map tax categories to tax codes and item types to accounts, and suggest QuickBooks records by name.
 */
export function createMappingRoutes(deps: ApiDeps) {
  const { db, qbo } = deps;
  const router = createRouter();
  router.use('*', requireRole('admin', deps.config));

  async function readRecord(
    realmId: string,
    entity: 'Item' | 'Customer' | 'TaxCode' | 'Account',
    id: string,
    field: string,
  ) {
    try {
      return await qbo.read(realmId, entity, id);
    } catch (err) {
      return quickBooksProblem(err, field, `${entity} record`);
    }
  }

  // ---- Items and customers: link rows, exactly what a person's "link" decision writes ----
  for (const [segment, entity] of [
    ['items', 'Item'],
    ['customers', 'Customer'],
  ] as const) {
    const label = entity.toLowerCase();
    const sourceIdParams = realmIdParam.extend({ sourceId: sourceKeyParam('sourceId', `${label}-1001`) });

    router.openapi(
      createRoute({
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
      async (c) => {
        const { realmId } = c.req.valid('param');
        return c.json({ realmId, links: (await listLinks(db, realmId, entity)).map(linkOut) }, 200);
      },
    );

    router.openapi(
      createRoute({
        method: 'put',
        path: `/{realmId}/${segment}/{sourceId}`,
        summary: `Link a source ${label} to an existing QuickBooks ${entity} (checked in QuickBooks first)`,
        description: `The next sync (or a retry) uses this ${entity} instead of creating one, and brings the fields qbo-sync owns up to date on it.`,
        security,
        request: {
          params: sourceIdParams,
          body: { required: true, content: { 'application/json': { schema: z.strictObject({ qboId }) } } },
        },
        responses: {
          200: json(linkView.extend({ qboName: z.string().nullable(), active: z.boolean() }), 'Linked'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { realmId, sourceId } = c.req.valid('param');
        const record = await readRecord(realmId, entity, c.req.valid('json').qboId, 'qboId');
        const link = await markLinked(
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
          {
            ...linkOut(link),
            qboName: typeof name === 'string' ? name : null,
            active: record.Active !== false,
          },
          200,
        );
      },
    );

    router.openapi(
      createRoute({
        method: 'delete',
        path: `/{realmId}/${segment}/{sourceId}`,
        summary: `Remove a ${label} link an admin made (links made by syncs are the exactly-once ledger and stay)`,
        security,
        request: { params: sourceIdParams },
        responses: { 200: json(linkView, 'Removed'), ...errorResponses },
      }),
      async (c) => {
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
      },
    );
  }

  // ---- Tax categories ----
  const categoryParams = realmIdParam.extend({ category: sourceKeyParam('category', 'standard') });
  router.openapi(
    createRoute({
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
    async (c) => {
      const { realmId } = c.req.valid('param');
      const rows = await listMappings(db, realmId, 'tax_category');
      return c.json(
        { realmId, mappings: rows.map((m) => ({ ...m, updatedAt: m.updatedAt.toISOString() })) },
        200,
      );
    },
  );
  router.openapi(
    createRoute({
      method: 'put',
      path: '/{realmId}/tax-categories/{category}',
      summary:
        "Map a source tax category to one of the company's QuickBooks TaxCodes (checked in QuickBooks first)",
      security,
      request: {
        params: categoryParams,
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ taxCodeId }) } },
        },
      },
      responses: { 200: json(mappingView, 'Mapped'), ...errorResponses },
    }),
    async (c) => {
      const { realmId, category } = c.req.valid('param');
      const code = await readRecord(realmId, 'TaxCode', c.req.valid('json').taxCodeId, 'taxCodeId');
      if (code.Active === false) {
        throw validationError([
          {
            path: 'taxCodeId',
            reason: `QuickBooks tax code ${code.Id} is inactive: reactivate it or choose another`,
          },
        ]);
      }
      const qboName = typeof code.Name === 'string' ? code.Name : null;
      await upsertMapping(db, {
        realmId,
        kind: 'tax_category',
        sourceKey: category,
        qboId: code.Id,
        qboName,
      });
      deps.logger.info({ realmId, category, taxCodeId: code.Id }, 'tax category mapped');
      return c.json(
        {
          kind: 'tax_category',
          sourceKey: category,
          qboId: code.Id,
          qboName,
          updatedAt: new Date().toISOString(),
        },
        200,
      );
    },
  );
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{realmId}/tax-categories/{category}',
      summary: 'Remove a tax category mapping (documents using the category are then refused with 422)',
      security,
      request: { params: categoryParams },
      responses: { 200: json(z.object({ removed: z.literal(true) }), 'Removed'), ...errorResponses },
    }),
    async (c) => {
      const { realmId, category } = c.req.valid('param');
      if (!(await deleteMapping(db, realmId, 'tax_category', category))) {
        throw new ApiError(404, 'not_found', `No mapping for tax category ${category}.`);
      }
      return c.json({ removed: true as const }, 200);
    },
  );

  // ---- Income and deposit accounts, by id or by name ----
  for (const [segment, kind, accountTypes] of [
    ['income-accounts', 'income_account', ['Income']],
    ['deposit-accounts', 'deposit_account', ['Bank', 'Other Current Asset']],
  ] as const) {
    const keyParams = realmIdParam.extend({
      key: z.enum(accountKeys[kind]).openapi({ param: { name: 'key', in: 'path' }, example: 'default' }),
    });
    const what =
      kind === 'income_account'
        ? 'income account (per item type, or default)'
        : 'deposit account for payments';
    router.openapi(
      createRoute({
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
      async (c) => {
        const { realmId, key } = c.req.valid('param');
        const body = c.req.valid('json');
        let account: QboRecord;
        if (body.accountId) {
          account = await readRecord(realmId, 'Account', body.accountId, 'accountId');
        } else {
          let found: QboRecord[] = [];
          try {
            found = await qbo.query<QboRecord>(
              realmId,
              `SELECT * FROM Account WHERE Name = '${escapeQueryValue(body.accountName!)}'`,
            );
          } catch (err) {
            quickBooksProblem(err, 'accountName', 'account');
          }
          if (found.length !== 1) {
            throw validationError([
              {
                path: 'accountName',
                reason: found.length
                  ? `${found.length} QuickBooks accounts have this name: give accountId instead`
                  : 'QuickBooks has no active account with this name',
              },
            ]);
          }
          account = found[0];
        }
        if (!(accountTypes as readonly string[]).includes(String(account.AccountType))) {
          throw validationError([
            {
              path: body.accountId ? 'accountId' : 'accountName',
              reason: `account ${account.Id} is of type ${String(account.AccountType)}; this mapping needs ${accountTypes.join(' or ')}`,
            },
          ]);
        }
        const qboName = typeof account.Name === 'string' ? account.Name : null;
        await upsertMapping(db, { realmId, kind, sourceKey: key, qboId: account.Id, qboName });
        return c.json(
          { kind, sourceKey: key, qboId: account.Id, qboName, updatedAt: new Date().toISOString() },
          200,
        );
      },
    );
    router.openapi(
      createRoute({
        method: 'delete',
        path: `/{realmId}/${segment}/{key}`,
        summary: `Remove the ${what} mapping (qbo-sync falls back to QuickBooks' standard account)`,
        security,
        request: { params: keyParams },
        responses: { 200: json(z.object({ removed: z.literal(true) }), 'Removed'), ...errorResponses },
      }),
      async (c) => {
        const { realmId, key } = c.req.valid('param');
        if (!(await deleteMapping(db, realmId, kind, key)))
          throw new ApiError(404, 'not_found', `No ${kind} mapping for ${key}.`);
        return c.json({ removed: true as const }, 200);
      },
    );
  }

  // ---- Everything at once, and suggestions ----
  router.openapi(
    createRoute({
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
    async (c) => {
      const { realmId } = c.req.valid('param');
      const [rows, items, customers] = await Promise.all([
        listAllMappings(db, realmId),
        listLinks(db, realmId, 'Item'),
        listLinks(db, realmId, 'Customer'),
      ]);
      const adminLinks = [...items, ...customers]
        .filter((l) => l.linkedBy === 'admin')
        .map((l) => ({ entity: l.entityType, ...linkOut(l) }));
      return c.json(
        { realmId, mappings: rows.map((m) => ({ ...m, updatedAt: m.updatedAt.toISOString() })), adminLinks },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
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
    async (c) => {
      const { realmId } = c.req.valid('param');
      const { entity, name } = c.req.valid('query');
      if (name && !entity)
        throw validationError([{ path: 'entity', reason: 'say which records to search: Item or Customer' }]);
      try {
        const suggestions = name
          ? [await suggestForName(qbo, realmId, entity!, name)]
          : await suggestForStuckSyncs(deps, realmId, entity);
        return c.json({ realmId, suggestions }, 200);
      } catch (err) {
        return quickBooksProblem(err, 'realmId', 'company');
      }
    },
  );

  return router;
}
