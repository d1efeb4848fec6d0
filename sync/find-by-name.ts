import type { SyncDeps } from './sync-deps';
import { normalizeName } from './normalize-name';
import type { QboRecord } from '../quickbooks/client';
import { eq } from './ledger';

/**
 * Records (active or not) whose name is the same as `name` once normalized (trim, spaces, quotes,
 * case, "&"/"and"). QuickBooks' query only matches exactly, so when the exact name finds nothing the
 * candidates sharing the name's longest word are fetched and compared here.
 */
export async function findByNormalizedName(
  deps: SyncDeps,
  realmId: string,
  entity: 'Customer' | 'Item',
  field: 'DisplayName' | 'Name',
  name: string,
): Promise<QboRecord[]> {
  const wanted = normalizeName(name);
  const matching = (rows: QboRecord[]) =>
    rows.filter((r) => normalizeName(String(r[field] ?? '')) === wanted);
  const exact = await deps.ledger.find(realmId, entity, { where: [eq(field, name.trim())], active: 'any' });
  if (matching(exact).length > 0) return matching(exact);
  const longestWord = wanted
    .split(/[^\p{L}\p{N}]+/u)
    .reduce((longest, word) => (word.length > longest.length ? word : longest), '');
  if (longestWord.length < 2) return [];
  const candidates = await deps.ledger.find(realmId, entity, {
    where: [{ field, op: 'contains', value: longestWord }],
    active: 'any',
  });
  return matching(candidates);
}
