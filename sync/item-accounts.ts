import { findMapping, upsertMapping } from '../db/queries/mappings';
import type { ItemType } from '../workflows/contract';
import { eq } from './ledger';
import { localFault } from '../quickbooks/faults';
import type { SyncDeps } from './sync-deps';

type Ref = { value: string };

interface AccountNeed {
  kind: 'income_account' | 'asset_account' | 'expense_account';
  accountType: string;
  preferName: string;
  preferSubType: string;
  label: string;
}

const needs: Record<AccountNeed['kind'], AccountNeed> = {
  income_account: {
    kind: 'income_account',
    accountType: 'Income',
    preferName: 'Sales of Product Income',
    preferSubType: 'SalesOfProductIncome',
    label: 'an income account',
  },
  asset_account: {
    kind: 'asset_account',
    accountType: 'Other Current Asset',
    preferName: 'Inventory Asset',
    preferSubType: 'Inventory',
    label: 'an Inventory Asset account',
  },
  expense_account: {
    kind: 'expense_account',
    accountType: 'Cost of Goods Sold',
    preferName: 'Cost of Goods Sold',
    preferSubType: 'SuppliesMaterialsCogs',
    label: 'a Cost of Goods Sold account',
  },
};

/**
 * The account refs an item of this type needs. Reads the company's mappings (by item type, then 'default');
 * when one is missing, asks QuickBooks once, prefers the standard account, and stores it as the 'default'
 * mapping so the steady state reads nothing from QuickBooks. Throws account_mapping when there is none.
 */
export async function itemAccounts(
  deps: SyncDeps,
  realmId: string,
  type: ItemType,
): Promise<{ IncomeAccountRef: Ref; AssetAccountRef?: Ref; ExpenseAccountRef?: Ref }> {
  const income = await account(deps, realmId, type, needs.income_account);
  if (type !== 'Inventory') return { IncomeAccountRef: income };
  return {
    IncomeAccountRef: income,
    AssetAccountRef: await account(deps, realmId, type, needs.asset_account),
    ExpenseAccountRef: await account(deps, realmId, type, needs.expense_account),
  };
}

async function account(deps: SyncDeps, realmId: string, type: ItemType, need: AccountNeed): Promise<Ref> {
  const mapped = await findMapping(deps.db, realmId, need.kind, [type, 'default']);
  if (mapped) return { value: mapped.qboId };
  const accounts = await deps.ledger.find(realmId, 'Account', {
    where: [eq('AccountType', need.accountType)],
  });
  const chosen =
    accounts.find((a) => a.Name === need.preferName) ??
    accounts.find((a) => a.AccountSubType === need.preferSubType) ??
    accounts[0];
  if (!chosen) {
    throw localFault(
      'account_mapping',
      `No ${need.accountType} account to use for ${type} items`,
      `QuickBooks has no active account of type ${need.accountType}.`,
      `Map ${need.label} for this company (mappings: ${need.kind}), or create one in the QuickBooks chart of accounts, then retry.`,
    );
  }
  await upsertMapping(deps.db, {
    realmId,
    kind: need.kind,
    sourceKey: 'default',
    qboId: chosen.Id,
    qboName: String(chosen.Name ?? ''),
  });
  return { value: chosen.Id };
}
