import { getPolicy } from '../db/queries/policies';
import type { ItemDoc } from '../workflows/contract';
import { ensureActive, linkExisting } from '../sync/inactive-records';
import { asActivity } from './application-failure';
import { converge } from '../sync/converge';
import { isFault, refine } from '../quickbooks/faults';
import { prune } from '../sync/prune';
import { type SyncDeps, type EnsureResult } from '../sync/sync-deps';
import { itemAccounts } from '../sync/item-accounts';
import { findByNormalizedName } from '../sync/find-by-name';

export interface EnsureItemInput {
  realmId: string;
  syncId: string;
  item: ItemDoc;
  /** The date of the item's first invoice (InvStartDate for inventory items); today when absent. */
  firstInvoiceDate?: string;
}

/**
 * Makes sure the source item exists in QuickBooks, exactly once, with the fields we own and the mapped
 * accounts. A name collision is linked when an item with the same normalized name exists and the policy
 * allows; otherwise throws duplicate_name. Throws ApplicationFailure (type = pattern).
 */
export function ensureItem(deps: SyncDeps, input: EnsureItemInput): Promise<EnsureResult> {
  const { realmId, syncId, item } = input;
  return asActivity(deps, { step: 'items', sourceId: item.sourceId, sync: { realmId, syncId } }, async () => {
    const key = { realmId, entityType: 'Item' as const, sourceId: item.sourceId };
    const accounts = await itemAccounts(deps, realmId, item.type);
    const inventory = item.type === 'Inventory';
    const fields = prune({
      Name: item.name,
      Sku: item.sku,
      Type: item.type,
      Description: item.description,
      UnitPrice: item.unitPrice,
      ...accounts,
      TrackQtyOnHand: inventory ? true : undefined,
    });
    const sameName = () => findByNormalizedName(deps, realmId, 'Item', 'Name', item.name);
    return converge(deps, {
      syncId,
      key,
      fields,
      createOnly: inventory ? { QtyOnHand: 0, InvStartDate: input.firstInvoiceDate ?? today() } : undefined,
      marker: item.name,
      findPending: async () => (await sameName()).find((r) => r.Type === item.type),
      afterWrite: (record) => ensureActive(deps, realmId, syncId, record, 'item'),
      async onCreateRefused(fault, hash) {
        if (!isFault(fault, 'duplicate_name')) throw fault;
        const [existing] = await sameName();
        const policy = await getPolicy(deps.db, realmId);
        if (existing && policy.onNameCollision === 'link') {
          return linkExisting(deps, key, syncId, existing, hash, 'item');
        }
        throw refine(fault, {
          detail: existing
            ? `QuickBooks item ${existing.Id} ("${String(existing.Name)}") already uses this name.`
            : fault.fault.detail,
          hint:
            'QuickBooks already has a product or service with this name. Link the existing item ' +
            `(Resolve → link to QuickBooks id ${existing?.Id ?? '…'}, or map it in mappings) or rename the item in the source app, then retry.`,
        });
      },
    });
  });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
