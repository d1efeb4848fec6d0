import { markLinked, type LinkKey } from '../db/queries/links';
import { getPolicy } from '../db/queries/policies';
import { refine } from '../quickbooks/faults';
import { type SyncDeps, type EnsureResult } from './sync-deps';
import type { QboRecord } from '../quickbooks/client';
import { localFault, QboFault } from '../quickbooks/faults';
import { requestIdFor } from './sync-hash';

/**
 * Links a record QuickBooks already has (a same-party name collision) instead of creating one, and
 * makes sure it is active. Throws inactive_or_missing_reference when it is inactive and policy asks.
 */
export async function linkExisting(
  deps: SyncDeps,
  key: LinkKey,
  syncId: string,
  record: QboRecord,
  hash: string,
  what: 'customer' | 'item',
): Promise<EnsureResult> {
  await markLinked(deps.db, key, {
    qboId: record.Id,
    syncToken: record.SyncToken,
    sourceHash: hash,
    linkedBy: 'sync',
  });
  await ensureActive(deps, key.realmId, syncId, record, what);
  return { qboId: record.Id, action: 'linked' };
}

/**
 * Our record turned out inactive in QuickBooks: reactivate it when the company allows, else ask a person.
 * Returns the (possibly updated) record.
 */
export async function ensureActive(
  deps: SyncDeps,
  realmId: string,
  syncId: string,
  record: QboRecord,
  what: 'customer' | 'item',
): Promise<QboRecord> {
  if (record.Active !== false) return record;
  const entity = what === 'customer' ? 'Customer' : 'Item';
  const name = String(record.DisplayName ?? record.Name ?? '');
  const policy = await getPolicy(deps.db, realmId);
  if (policy.onInactiveReference === 'reactivate') {
    return deps.ledger.update(
      realmId,
      entity,
      { Id: record.Id, SyncToken: record.SyncToken, Active: true },
      { requestId: requestIdFor(syncId, entity, record.Id, 'reactivate', record.SyncToken), sparse: true },
    );
  }
  throw inactiveFault(`${what} "${name}" (QuickBooks id ${record.Id})`);
}

/** inactive_or_missing_reference naming what is inactive. */
export function inactiveFault(what: string, cause?: QboFault): QboFault {
  const message = `The ${what} is inactive in QuickBooks`;
  const hint =
    `Reactivate the ${what} in QuickBooks (show inactive → make active), or allow qbo-sync to reactivate ` +
    'inactive records (company policy: reactivate), then retry.';
  return cause
    ? refine(cause, { detail: `${message}. ${cause.fault.detail}`, hint })
    : localFault('inactive_or_missing_reference', message, '', hint);
}
