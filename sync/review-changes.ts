import { linksByQboIds, recordDrift } from '../db/queries/link-drift';
import type { Db } from '../db/client';
import type { ChangesSince } from '../quickbooks/client';
import { classifyDrift, type Drift } from './drift';

/**
 * Holds changed QuickBooks records against the links that point at them and records the drift found.
 * Records nobody linked cost nothing more. Returns how many links got a new drift.
 */
export async function reviewChangedRecords(
  db: Db,
  realmId: string,
  objects: ChangesSince['objects'],
  seenBy: Drift['seenBy'],
): Promise<number> {
  let drifted = 0;
  const byEntity = new Map<string, ChangesSince['objects']>();
  for (const o of objects) byEntity.set(o.entity, [...(byEntity.get(o.entity) ?? []), o]);
  for (const [entity, changed] of byEntity) {
    const latest = new Map<string, ChangesSince['objects'][number]['record']>();
    for (const o of changed) latest.set(String(o.record.Id), o.record);
    const linked = await linksByQboIds(db, realmId, entity, [...latest.keys()]);
    for (const link of linked) {
      const record = latest.get(link.qboId ?? '');
      if (!record || link.status === 'pending') continue;
      const drift = classifyDrift(link, record, seenBy);
      if (drift && (await recordDrift(db, link.id, drift, link.drift))) drifted++;
    }
  }
  return drifted;
}

/** A Merge event: links to the merged-away record now point at nothing; record where it went. */
export async function reviewMerge(
  db: Db,
  realmId: string,
  entity: string,
  deletedId: string,
  into: string,
  changedAt: string,
): Promise<number> {
  let drifted = 0;
  for (const link of await linksByQboIds(db, realmId, entity, [deletedId])) {
    if (link.linkedBy === 'manual') continue;
    const drift: Drift = { kind: 'merged', mergedInto: into, changedAt, seenBy: 'webhook' };
    if (await recordDrift(db, link.id, drift, link.drift)) drifted++;
  }
  return drifted;
}
