import { listDrift } from '../../db/queries/link-drift';
import { describeDrift, type Drift } from '../../sync/drift';
import { syncWorkflowId } from '../../workflows/contract';
import type { ApiDeps } from '../deps';

/** One record we synced that was changed in QuickBooks since, as the API and the admin page show it. */
export interface DriftItem {
  entityType: string;
  sourceId: string;
  qboId: string | null;
  kind: Drift['kind'];
  fields: string[];
  changes: NonNullable<Drift['changes']>;
  mergedInto: string | null;
  changedAt: string | null;
  seenAt: string | null;
  seenBy: Drift['seenBy'];
  decision: Drift['decision'] | null;
  summary: string;
  /** The sync of the invoice the record belongs to (null for customers and items). */
  syncId: string | null;
}

/** A company's drifted records, newest first. */
export async function listDriftItems(deps: Pick<ApiDeps, 'db'>, realmId: string): Promise<DriftItem[]> {
  const rows = await listDrift(deps.db, realmId);
  return rows.map((link) => {
    const drift = link.drift as Drift;
    const invoiceSourceId = link.entityType === 'Payment' ? link.parentSourceId : link.sourceId;
    return {
      entityType: link.entityType,
      sourceId: link.sourceId,
      qboId: link.qboId,
      kind: drift.kind,
      fields: drift.fields ?? [],
      changes: drift.changes ?? {},
      mergedInto: drift.mergedInto ?? null,
      changedAt: drift.changedAt ?? null,
      seenAt: link.driftSeenAt?.toISOString() ?? null,
      seenBy: drift.seenBy,
      decision: drift.decision ?? null,
      summary: describeDrift(link.entityType, link.qboId, drift),
      syncId:
        link.entityType === 'Invoice' || link.entityType === 'Payment'
          ? syncWorkflowId(realmId, invoiceSourceId ?? link.sourceId)
          : null,
    };
  });
}
