import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  documentSubmittedSignal,
  searchAttributes,
  SYNC_REVISION,
  syncWorkflowId,
  type SyncDocument,
  type SyncInput,
  type SyncResult,
  type SyncTimings,
} from '../../workflows/contract';

/** The workflow timings the deployment configured (config.ts). */
export function syncTimings(config: {
  SYNC_PAUSE_CHECK_MS: number;
  SYNC_OUTAGE_RETRY_MS: number;
  SYNC_VERSIONS_PER_RUN: number;
}): SyncTimings {
  return {
    pauseCheckMs: config.SYNC_PAUSE_CHECK_MS,
    outageRetryMs: config.SYNC_OUTAGE_RETRY_MS,
    versionsPerRun: config.SYNC_VERSIONS_PER_RUN,
  };
}

export type EnqueueOutcome = 'started' | 'submitted' | 'unchanged';

export interface Enqueued {
  syncId: string;
  outcome: EnqueueOutcome;
}

/**
 * Starts the document's sync, or hands a newer version to the one already running, or recognises a
 * document that an earlier sync already completed. The document travels once: in the start input of a
 * new sync, or in the signal to a running one (a start that loses a race to a concurrent submission
 * signals the winner instead), so concurrent submissions of one invoice land in one workflow.
 */
export async function enqueueSync(
  temporal: Client,
  taskQueue: string,
  document: SyncDocument,
  batchId?: string,
  timings?: SyncTimings,
): Promise<Enqueued> {
  const syncId = syncWorkflowId(document.realmId, document.invoice.sourceId);
  const handle = temporal.workflow.getHandle(syncId);
  let running = false;
  try {
    const description = await handle.describe();
    running = description.status.name === 'RUNNING';
    if (description.status.name === 'COMPLETED') {
      const result = (await handle.result()) as SyncResult;
      if (result.documentVersion >= document.invoice.version) return { syncId, outcome: 'unchanged' };
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }

  const typedSearchAttributes: SearchAttributePair[] = [
    { key: searchAttributes.realmId, value: document.realmId },
    { key: searchAttributes.sourceInvoiceId, value: document.invoice.sourceId },
    { key: searchAttributes.syncState, value: 'queued' },
    ...(batchId ? [{ key: searchAttributes.batchIds, value: [batchId] }] : []),
  ];
  const input: SyncInput = { document, ...(batchId ? { batchId } : {}) };
  // One line operators read in the Temporal UI's list; the live state is the SyncState search attribute.
  const { invoice } = document;
  const description = `company ${document.realmId} · invoice ${invoice.docNumber ?? invoice.sourceId} (${invoice.sourceId}) v${invoice.version} · queued`;
  const submit = async (): Promise<boolean> => {
    try {
      await handle.signal(documentSubmittedSignal, input);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false; // it completed meanwhile: start a new run
      throw err;
    }
  };
  if (running && (await submit())) return { syncId, outcome: 'submitted' };
  try {
    await temporal.workflow.start('syncInvoice', {
      workflowId: syncId,
      taskQueue,
      args: [{ revision: SYNC_REVISION, ...input, ...(timings ? { timings } : {}) }],
      typedSearchAttributes,
      memo: { description },
      staticSummary: description,
    });
    return { syncId, outcome: 'started' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    if (await submit()) return { syncId, outcome: 'submitted' };
    throw err;
  }
}
