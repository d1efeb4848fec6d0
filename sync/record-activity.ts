import { isFault } from '../quickbooks/faults';
import type { SyncDeps } from './sync-deps';
import { requestIdFor } from './sync-hash';

/** Makes inactive records active again (sparse `Active: true`); returns whether any was inactive. */
export async function reactivate(
  deps: SyncDeps,
  realmId: string,
  syncId: string,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
): Promise<boolean> {
  let any = false;
  for (const ref of refs) {
    const record = await deps.ledger.read(realmId, ref.entity, ref.id);
    if (record.Active !== false) continue;
    any = true;
    await deps.ledger.update(
      realmId,
      ref.entity,
      { Id: record.Id, SyncToken: record.SyncToken, Active: true },
      { requestId: requestIdFor(syncId, ref.entity, ref.id, 'reactivate', record.SyncToken), sparse: true },
    );
  }
  return any;
}

/** Finds which of `refs` are inactive in QuickBooks (for a message a person can act on). */
export async function inactiveOf(
  deps: SyncDeps,
  realmId: string,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
): Promise<{ entity: string; id: string; name: string }[]> {
  const out: { entity: string; id: string; name: string }[] = [];
  for (const ref of refs) {
    try {
      const record = await deps.ledger.read(realmId, ref.entity, ref.id);
      if (record.Active === false)
        out.push({ ...ref, name: String(record.DisplayName ?? record.Name ?? '') });
    } catch (err) {
      if (!isFault(err, 'inactive_or_missing_reference', 'other')) throw err;
      out.push({ ...ref, name: '(missing)' });
    }
  }
  return out;
}
