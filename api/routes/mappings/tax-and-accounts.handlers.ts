import type { RouteHandler } from '@hono/zod-openapi';
import { escapeQueryValue, type QboRecord } from '../../../quickbooks/client';
import { deleteMapping } from '../../../db/queries/admin-mappings';
import { listMappings, upsertMapping } from '../../../db/queries/mappings';
import type { ApiDeps } from '../../deps';
import { ApiError, validationError } from '../../errors';
import { askQuickBooks } from '../../quickbooks-problem';
import type { AccountKind, accountRoutes, taxCategoryRoutes } from './tax-and-accounts.routes';
import { mappingOut } from './schemas';

type TaxRoutes = typeof taxCategoryRoutes;
type AccountRoutes = ReturnType<typeof accountRoutes>;

/** Tax categories → the company's QuickBooks TaxCodes, checked in QuickBooks before they are stored. */
export function taxCategoryHandlers(deps: ApiDeps) {
  const { db, qbo } = deps;

  const list: RouteHandler<TaxRoutes['list']> = async (c) => {
    const { realmId } = c.req.valid('param');
    const rows = await listMappings(db, realmId, 'tax_category');
    return c.json({ realmId, mappings: rows.map(mappingOut) }, 200);
  };

  const map: RouteHandler<TaxRoutes['map']> = async (c) => {
    const { realmId, category } = c.req.valid('param');
    const code = await askQuickBooks(() => qbo.read(realmId, 'TaxCode', c.req.valid('json').taxCodeId), {
      realmId,
      publicUrl: deps.config.API_PUBLIC_URL,
      field: 'taxCodeId',
      what: 'TaxCode record',
    });
    if (code.Active === false) {
      throw validationError([
        {
          path: 'taxCodeId',
          reason: `QuickBooks tax code ${code.Id} is inactive: reactivate it or choose another`,
        },
      ]);
    }
    const qboName = typeof code.Name === 'string' ? code.Name : null;
    await upsertMapping(db, { realmId, kind: 'tax_category', sourceKey: category, qboId: code.Id, qboName });
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
  };

  const remove: RouteHandler<TaxRoutes['remove']> = async (c) => {
    const { realmId, category } = c.req.valid('param');
    if (!(await deleteMapping(db, realmId, 'tax_category', category))) {
      throw new ApiError(404, 'not_found', `No mapping for tax category ${category}.`);
    }
    return c.json({ removed: true as const }, 200);
  };

  return { list, map, remove };
}

/** Income and deposit accounts, by QuickBooks id or by name, of an account type the mapping allows. */
export function accountHandlers(deps: ApiDeps, kind: AccountKind, accountTypes: readonly string[]) {
  const { db, qbo } = deps;

  const map: RouteHandler<AccountRoutes['map']> = async (c) => {
    const { realmId, key } = c.req.valid('param');
    const body = c.req.valid('json');
    const field = body.accountId ? 'accountId' : 'accountName';
    const context = { realmId, publicUrl: deps.config.API_PUBLIC_URL, field, what: 'account' };
    let account: QboRecord;
    if (body.accountId) {
      const accountId = body.accountId;
      account = await askQuickBooks(() => qbo.read(realmId, 'Account', accountId), {
        ...context,
        what: 'Account record',
      });
    } else {
      const name = escapeQueryValue(body.accountName!);
      const found = await askQuickBooks(
        () => qbo.query<QboRecord>(realmId, `SELECT * FROM Account WHERE Name = '${name}'`),
        context,
      );
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
    if (!accountTypes.includes(String(account.AccountType))) {
      throw validationError([
        {
          path: field,
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
  };

  const remove: RouteHandler<AccountRoutes['remove']> = async (c) => {
    const { realmId, key } = c.req.valid('param');
    if (!(await deleteMapping(db, realmId, kind, key)))
      throw new ApiError(404, 'not_found', `No ${kind} mapping for ${key}.`);
    return c.json({ removed: true as const }, 200);
  };

  return { map, remove };
}
