import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  documentSubmittedSignal,
  searchAttributes,
  SYNC_REVISION,
  syncWorkflowId,
  type SyncDocument,
  type SyncInput,
  type SyncStartInput,
  syncWorkflowType,
  type SyncResult,
  type SyncTimings,
} from '../../workflows/contract';
import { ApiError } from '../errors';

/** The workflow timings the deployment configured (config.ts). */
export function syncTimings(config: {
  SYNC_PAUSE_CHECK_MS: number;
  SYNC_PAUSE_CHECK_MAX_MS: number;
  SYNC_OUTAGE_RETRY_MS: number;
  SYNC_VERSIONS_PER_RUN: number;
}): SyncTimings {
  return {
    pauseCheckMs: config.SYNC_PAUSE_CHECK_MS,
    pauseCheckMaxMs: config.SYNC_PAUSE_CHECK_MAX_MS,
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
 * How a document's sync starts: its id, queue and start input, the search attributes operators filter on
 * (state `queued` until the worker takes it) and the one line the Temporal UI lists it by.
 */
export function syncStartOptions(
  taskQueue: string,
  document: SyncDocument,
  batchId?: string,
  timings?: SyncTimings,
) {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: searchAttributes.realmId, value: document.realmId },
    { key: searchAttributes.sourceInvoiceId, value: document.invoice.sourceId },
    { key: searchAttributes.syncState, value: 'queued' },
    ...(batchId ? [{ key: searchAttributes.batchIds, value: [batchId] }] : []),
  ];
  const input: SyncStartInput = {
    revision: SYNC_REVISION,
    document,
    ...(batchId ? { batchId } : {}),
    ...(timings ? { timings } : {}),
  };
  // The live state is the SyncState search attribute; this line only names the document.
  const { invoice } = document;
  const description = `company ${document.realmId} · invoice ${invoice.docNumber ?? invoice.sourceId} (${invoice.sourceId}) v${invoice.version} · queued`;
  return {
    workflowId: syncWorkflowId(document.realmId, invoice.sourceId),
    taskQueue,
    args: [input] as [SyncStartInput],
    typedSearchAttributes,
    memo: { description },
    staticSummary: description,
  };
}

export interface EnqueueOptions {
  batchId?: string;
  timings?: SyncTimings;
  /**
   * A hint that no sync of this invoice exists yet (the first document of it stored): try the start alone,
   * one Temporal call. Wrong hints cost calls, never correctness: each path handles every state.
   */
  likelyNew?: boolean;
}

/** Describes, signals or starts the same sync again when a concurrent submission changed it meanwhile. */
const ATTEMPTS = 3;

/**
 * Starts the document's sync, or hands the document to the one already running (which converges to it
 * next if it is newer), or recognises a document that the sync of that invoice already completed. The
 * document travels once: in the start input of a new run, or in the signal to a running one, so
 * concurrent submissions of one invoice land in one workflow.
 *
 * Calls to Temporal: a new invoice (`likelyNew`) is one start. Otherwise the current run's state decides:
 * running, a signal; completed, its result, then a new run only if the document is newer; none, failed,
 * terminated or timed out, a new run. (A start is one billable action; a signal-with-start would be two on
 * every new sync, and an update-with-start would also wait for a worker to take it.)
 *
 * @throws ApiError 503 when concurrent submissions kept changing the sync through every attempt.
 */
export async function enqueueSync(
  temporal: Client,
  taskQueue: string,
  document: SyncDocument,
  options: EnqueueOptions = {},
): Promise<Enqueued> {
  const { batchId, timings } = options;
  const start = syncStartOptions(taskQueue, document, batchId, timings);
  const syncId = start.workflowId;
  const input: SyncInput = { document, ...(batchId ? { batchId } : {}) };
  const handle = temporal.workflow.getHandle(syncId);

  /** False when a run is there already (or, with `FAILED_ONLY`, one completed). */
  const startRun = async (reuse: 'ALLOW_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY') => {
    try {
      await temporal.workflow.start(syncWorkflowType, { ...start, workflowIdReusePolicy: reuse });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  };
  /** False when the run closed before the signal reached it. */
  const submit = async () => {
    try {
      await handle.signal(documentSubmittedSignal, input);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  // A completed sync's id is refused here, so that its result decides below whether this is news.
  if (options.likelyNew && (await startRun('ALLOW_DUPLICATE_FAILED_ONLY')))
    return { syncId, outcome: 'started' };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await handle.describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
    const status = current?.status.name;
    if (status === 'RUNNING') {
      if (await submit()) return { syncId, outcome: 'submitted' };
      continue;
    }
    if (status === 'COMPLETED') {
      // That run's own result: following runs could wait on one a concurrent submission just started.
      const completed = temporal.workflow.getHandle(syncId, current!.runId, { followRuns: false });
      const result = (await completed.result()) as SyncResult;
      if (result.documentVersion >= document.invoice.version) return { syncId, outcome: 'unchanged' };
    }
    if (await startRun('ALLOW_DUPLICATE')) return { syncId, outcome: 'started' };
  }
  throw new ApiError(
    503,
    'sync_busy',
    `The sync ${syncId} changed under concurrent submissions ${ATTEMPTS} times; send the document again.`,
  );
}
