import { forceOverwrite, forgetQboRecord, noteSourceVersion, recordDrift } from '../db/queries/link-drift';
import { getLink, type LinkKey } from '../db/queries/links';
import { isFault, localFault } from '../quickbooks/faults';
import { describeDrift, type Drift } from './drift';
import { isVoided } from './markers';
import type { SyncDeps } from './sync-deps';

/** Drift a sync must not write over on its own: the record is gone or voided in QuickBooks. */
const blocking: Drift['kind'][] = ['deleted', 'voided'];

/**
 * Before a transaction is converged: a record deleted or voided in QuickBooks stops the sync with
 * changed_in_quickbooks (never a silent second copy), until a person decides. `recreate` (and
 * `overwrite`, since QuickBooks cannot un-delete) forgets the old record so the write creates one new
 * record; `overwrite` of an edited record makes the next write send our fields again.
 */
export async function guardDrift(deps: SyncDeps, key: LinkKey): Promise<void> {
  const link = await getLink(deps.db, key);
  const drift = link?.drift as Drift | null | undefined;
  if (!link || !drift || link.linkedBy === 'manual') return;
  if (blocking.includes(drift.kind)) {
    if (drift.decision === 'recreate' || drift.decision === 'overwrite') {
      await forgetQboRecord(deps.db, key);
      return;
    }
    throw changedInQuickbooks(key, link.qboId, drift);
  }
  if (drift.kind === 'edited' && drift.decision === 'overwrite') await forceOverwrite(deps.db, key);
}

/** A write refused because the record was deleted in QuickBooks (610): recorded as drift, then stopped. */
export async function driftFromRefusal(deps: SyncDeps, key: LinkKey, err: unknown): Promise<unknown> {
  if (!isFault(err, 'inactive_or_missing_reference') || !/deleted/i.test(err.fault.detail)) return err;
  const link = await getLink(deps.db, key);
  if (!link?.qboId || link.status !== 'linked') return err;
  const drift: Drift = { kind: 'deleted', seenBy: 'sync' };
  await recordDrift(deps.db, link.id, drift, link.drift);
  return changedInQuickbooks(key, link.qboId, drift);
}

/**
 * A newer version that changed nothing we write to the invoice (say, it only adds a payment) costs no write,
 * so no refusal would tell us the invoice is gone. Read it once per version: deleted or voided stops the
 * sync here, at the invoice, instead of at a payment pointing at nothing.
 */
export async function confirmStillThere(deps: SyncDeps, key: LinkKey, version: number): Promise<void> {
  const link = await getLink(deps.db, key);
  if (!link?.qboId || link.status !== 'linked' || link.linkedBy === 'manual') return;
  if (link.sourceVersion != null && version <= link.sourceVersion) return;
  let record;
  try {
    record = await deps.ledger.read(key.realmId, key.entityType, link.qboId);
  } catch (err) {
    throw await driftFromRefusal(deps, key, err);
  }
  if (isVoided(record)) {
    const drift: Drift = { kind: 'voided', qboSyncToken: record.SyncToken, seenBy: 'sync' };
    await recordDrift(deps.db, link.id, drift, link.drift);
    throw changedInQuickbooks(key, link.qboId, drift);
  }
  await noteSourceVersion(deps.db, key, version);
}

function changedInQuickbooks(key: LinkKey, qboId: string | null, drift: Drift) {
  return localFault(
    'changed_in_quickbooks',
    `${describeDrift(key.entityType, qboId, drift)} The source app sent a newer version.`,
    `${key.entityType} source id ${key.sourceId}, QuickBooks id ${qboId ?? 'unknown'}: ${drift.kind}` +
      (drift.changedAt ? ` at ${drift.changedAt}` : '') +
      ` (seen by ${drift.seenBy}).`,
  );
}
