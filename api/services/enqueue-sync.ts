import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  documentSubmittedSignal,
  searchAttributes,
  syncWorkflowId,
  type SyncDocument,
  type SyncResult,
} from '../../workflows/contract';

export type EnqueueOutcome = 'started' | 'submitted' | 'unchanged';

export interface Enqueued {
  syncId: string;
  outcome: EnqueueOutcome;
}

/**
 * Starts the document's sync, or hands a newer version to the one already running, or recognises a
 * document that an earlier sync already completed. signalWithStart makes concurrent submissions of
 * one invoice land in one workflow.
 */
export async function enqueueSync(
  temporal: Client,
  taskQueue: string,
  document: SyncDocument,
  batchId?: string,
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
  const input = { document, ...(batchId ? { batchId } : {}) };
  // One line operators read in the Temporal UI's list; the live state is the SyncState search attribute.
  const { invoice } = document;
  const description = `company ${document.realmId} · invoice ${invoice.docNumber ?? invoice.sourceId} (${invoice.sourceId}) v${invoice.version} · queued`;
  await temporal.workflow.signalWithStart('syncInvoice', {
    workflowId: syncId,
    taskQueue,
    args: [input],
    signal: documentSubmittedSignal,
    signalArgs: [input],
    typedSearchAttributes,
    memo: { description },
    staticSummary: description,
  });
  return { syncId, outcome: running ? 'submitted' : 'started' };
}
