import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import {
  isSyncWorkflowId,
  searchAttributes,
  statusQuery,
  syncWorkflowType,
  type SyncState,
  type SyncStatus,
} from '../../workflows/contract';

/** How long a running sync's worker has to answer the status query before the search attributes answer. */
const QUERY_DEADLINE_MS = 2_000;

export interface SyncView extends Partial<SyncStatus> {
  syncId: string;
  state: SyncState;
  execution: {
    runId: string;
    status: string;
    startTime: string;
    closeTime: string | null;
    historyLength: number;
  };
}

/**
 * Reads a sync: the workflow's own status (query or result), with the execution's facts beside it.
 * Null (→ 404) for anything that is not a sync: an id of another shape, or another workflow type.
 */
export async function readSync(temporal: Client, syncId: string): Promise<SyncView | null> {
  if (!isSyncWorkflowId(syncId)) return null;
  const handle = temporal.workflow.getHandle(syncId);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  if (description.type !== syncWorkflowType) return null;
  const execution = {
    runId: description.runId,
    status: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString() ?? null,
    historyLength: description.historyLength,
  };
  const statusName = description.status.name;
  if (statusName === 'COMPLETED') return { ...((await handle.result()) as SyncStatus), execution };
  if (statusName === 'RUNNING') {
    try {
      const status = await temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        handle.query(statusQuery),
      );
      return { ...status, execution };
    } catch {
      // No worker answered in time (e.g. all are restarting): the search attributes answer instead.
    }
  }
  const attrs = description.typedSearchAttributes;
  return {
    syncId,
    realmId: attrs.get(searchAttributes.realmId),
    sourceInvoiceId: attrs.get(searchAttributes.sourceInvoiceId),
    state:
      statusName === 'RUNNING'
        ? ((attrs.get(searchAttributes.syncState) as SyncState) ?? 'queued')
        : 'failed',
    execution,
  };
}
