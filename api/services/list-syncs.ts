import type { Client } from '@temporalio/client';
import { searchAttributes, type SyncState } from '../../workflows/contract';
import { visibilityLiteral } from './visibility';

export interface SyncListFilter {
  realmId?: string;
  state?: SyncState;
  pattern?: string;
  /** 'true': only syncs that met a record changed in QuickBooks (the ChangedInQuickBooks attribute). */
  changedInQuickbooks?: 'true';
  batchId?: string;
  /** Keyset cursor: only syncs started before this instant (ISO). */
  before?: string;
  limit: number;
}

export interface SyncListItem {
  syncId: string;
  runId: string;
  realmId?: string;
  sourceInvoiceId?: string;
  state: SyncState;
  currentStep?: string;
  pauseReason?: string;
  errorPattern?: string;
  /** The sync's records (`Invoice`, `Payment`) met changed in QuickBooks. */
  changedInQuickbooks?: string[];
  startedAt: string;
  closedAt: string | null;
}

const closedAbnormally = `ExecutionStatus IN ('Failed', 'Terminated', 'Canceled', 'TimedOut')`;

/** Builds the visibility query for a filter. Values are quoted, so user input cannot change its shape. */
export function syncListQuery(filter: Omit<SyncListFilter, 'limit'>): string {
  const clauses = [`WorkflowType = 'syncInvoice'`];
  if (filter.realmId) clauses.push(`RealmId = ${visibilityLiteral(filter.realmId)}`);
  if (filter.state === 'failed') clauses.push(closedAbnormally);
  else if (filter.state) clauses.push(`SyncState = ${visibilityLiteral(filter.state)}`);
  if (filter.pattern) clauses.push(`ErrorPattern = ${visibilityLiteral(filter.pattern)}`);
  if (filter.changedInQuickbooks) clauses.push(`ChangedInQuickBooks IN ('Invoice', 'Payment')`);
  if (filter.batchId) clauses.push(`BatchIds = ${visibilityLiteral(filter.batchId)}`);
  if (filter.before) clauses.push(`StartTime < ${visibilityLiteral(filter.before)}`);
  return clauses.join(' AND ');
}

/** Lists syncs through Temporal's visibility store, newest first. */
export async function listSyncs(temporal: Client, filter: SyncListFilter): Promise<SyncListItem[]> {
  const items: SyncListItem[] = [];
  for await (const wf of temporal.workflow.list({ query: syncListQuery(filter), pageSize: filter.limit })) {
    const attrs = wf.typedSearchAttributes;
    const abnormal = ['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT'].includes(wf.status.name);
    items.push({
      syncId: wf.workflowId,
      runId: wf.runId,
      realmId: attrs.get(searchAttributes.realmId),
      sourceInvoiceId: attrs.get(searchAttributes.sourceInvoiceId),
      state: abnormal
        ? 'failed'
        : ((attrs.get(searchAttributes.syncState) as SyncState | undefined) ?? 'queued'),
      currentStep: attrs.get(searchAttributes.currentStep),
      pauseReason: attrs.get(searchAttributes.pauseReason),
      errorPattern: attrs.get(searchAttributes.errorPattern),
      changedInQuickbooks: attrs.get(searchAttributes.changedInQuickbooks),
      startedAt: wf.startTime.toISOString(),
      closedAt: wf.closeTime?.toISOString() ?? null,
    });
    if (items.length >= filter.limit) break;
  }
  return items;
}
