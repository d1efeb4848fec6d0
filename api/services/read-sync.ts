import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { searchAttributes, statusQuery, type SyncState, type SyncStatus } from '../../workflows/contract';

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

/** Reads a sync: the workflow's own status (query or result), with the execution's facts beside it. */
export async function readSync(temporal: Client, syncId: string): Promise<SyncView | null> {
  const handle = temporal.workflow.getHandle(syncId);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
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
      return { ...(await handle.query(statusQuery)), execution };
    } catch {
      // No worker answered the query (e.g. all are restarting): fall back to the search attributes.
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
