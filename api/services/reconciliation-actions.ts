import { WorkflowNotFoundError } from '@temporalio/client';
import { markLinked, prepareResync } from '../../db/queries/links';
import {
  claimAction,
  finishAction,
  type ReconciliationAction,
} from '../../db/queries/reconciliation-actions';
import { getSourceDocument } from '../../db/queries/source-documents';
import type { Mismatch, MismatchAction } from '../../sync/reconciliation';
import {
  documentSubmittedSignal,
  retrySignal,
  syncWorkflowId,
  type SyncDocument,
} from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { startReconciliation } from './start-reconciliation';

/** The key that makes an action on a mismatch happen once: a record is voided or linked once, ever. */
export function actionKey(
  realmId: string,
  reconciliationId: number,
  m: Mismatch,
  action: MismatchAction,
): string {
  const t = action.target;
  if (action.kind === 'void_duplicate') return `void:${realmId}:${t.entity}:${t.qboId}`;
  if (action.kind === 'link') return `link:${realmId}:${t.entity}:${t.qboId}`;
  return `resync:${realmId}:${reconciliationId}:${m.id}`;
}

/**
 * Carries out a person's action on a mismatch, once per key: a repeated request returns the recorded
 * action. A void runs in the company's reconciliation workflow (the API writes nothing to QuickBooks); a
 * re-sync and a link change our links and wake (or start) the invoice's sync. Throws ApiError.
 */
export async function takeAction(
  deps: ApiDeps,
  realmId: string,
  reconciliationId: number,
  mismatch: Mismatch,
  action: MismatchAction,
): Promise<{ action: ReconciliationAction; repeated: boolean }> {
  const idempotencyKey = actionKey(realmId, reconciliationId, mismatch, action);
  const { action: row, created } = await claimAction(deps.db, {
    idempotencyKey,
    realmId,
    kind: action.kind,
    target: { ...action.target, mismatchId: mismatch.id, reconciliationId },
  });
  // Done is final; a failed one (QuickBooks refused) may be asked again once its cause is fixed.
  if (!created && row.status === 'done') return { action: row, repeated: true };
  const t = action.target;
  if (action.kind === 'void_duplicate') {
    await startReconciliation(deps, realmId, { idempotencyKey, entity: t.entity!, qboId: t.qboId! });
    return { action: row, repeated: !created };
  }
  if (action.kind === 'link') {
    const record = await deps.qbo.read(realmId, t.entity!, t.qboId!);
    await markLinked(
      deps.db,
      { realmId, entityType: t.entity!, sourceId: t.sourceId! },
      {
        qboId: record.Id,
        syncToken: record.SyncToken,
        sourceHash: null,
        linkedBy: 'admin',
        ...(t.entity === 'Payment' && mismatch.invoiceSourceId
          ? { parentSourceId: mismatch.invoiceSourceId }
          : {}),
      },
    );
    const invoiceSourceId = t.entity === 'Invoice' ? t.sourceId! : mismatch.invoiceSourceId;
    const woke = invoiceSourceId ? await wakeSync(deps, realmId, invoiceSourceId) : 'none';
    return {
      action: await finishAction(deps.db, idempotencyKey, 'done', { linked: record.Id, sync: woke }),
      repeated: false,
    };
  }
  const invoiceSourceId = t.invoiceSourceId!;
  if (mismatch.kind === 'missing_in_quickbooks' || mismatch.kind === 'amount_edited') {
    const entityType = mismatch.entity === 'Payment' ? 'Payment' : 'Invoice';
    await prepareResync(
      deps.db,
      { realmId, entityType, sourceId: mismatch.sourceId! },
      mismatch.kind === 'missing_in_quickbooks' ? 'recreate' : 'rewrite',
    );
  }
  const woke = await wakeSync(deps, realmId, invoiceSourceId);
  return { action: await finishAction(deps.db, idempotencyKey, 'done', { sync: woke }), repeated: false };
}

/**
 * Wakes the invoice's sync: a waiting one is retried; a finished (or never started) one is started again
 * with the stored document, which converges only what differs. Returns what was done.
 */
export async function wakeSync(
  deps: ApiDeps,
  realmId: string,
  invoiceSourceId: string,
): Promise<'retried' | 'started'> {
  const syncId = syncWorkflowId(realmId, invoiceSourceId);
  const handle = deps.temporal.workflow.getHandle(syncId);
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') {
      // A waiting sync retries; a busy one ignores the signal and converges on its own.
      await handle.signal(retrySignal, { note: 'reconciliation' });
      return 'retried';
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const document = (await getSourceDocument(deps.db, realmId, invoiceSourceId)) as SyncDocument | undefined;
  if (!document)
    throw new ApiError(
      404,
      'document_not_found',
      `qbo-sync has no document of source invoice ${invoiceSourceId}.`,
    );
  await deps.temporal.workflow.signalWithStart('syncInvoice', {
    workflowId: syncId,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ document }],
    signal: documentSubmittedSignal,
    signalArgs: [{ document }],
  });
  return 'started';
}
