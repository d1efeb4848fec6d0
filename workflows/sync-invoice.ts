import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  documentSubmittedSignal,
  errorPatterns,
  periodReopenedSignal,
  reconnectedSignal,
  resolveSignal,
  retrySignal,
  statusQuery,
  type ErrorPattern,
  type PauseReason,
  type ResolveDecision,
  type Step,
  type SyncDocument,
  type SyncError,
  type SyncInput,
  type SyncResult,
  type SyncStartInput,
  SYNC_REVISION,
  defaultSyncTimings,
} from './contract';
import { isRetryable, pauseReasonFor } from './pattern-policy';
import { waitOutPause } from './pause-wait';
import { searchAttributePublisher } from './search-attributes';
import { initialStatus, recordOutcome, waitingSummary } from './sync-status';

type Activities = ReturnType<typeof createActivities>;
type EnsureResult = Awaited<ReturnType<Activities['ensureCustomer']>>;
type EntityType = 'Customer' | 'Item' | 'Invoice' | 'Payment';

const quickbooks = proxyActivities<Activities>({
  // Generous: an activity may wait its turn in the company's request budget before calling QuickBooks.
  startToCloseTimeout: '5 minutes',
  // Activities heartbeat while they wait and before each request (each lasts at most QBO_REQUEST_TIMEOUT_MS,
  // 30 s by default), so a killed worker's activities are retried elsewhere within this, not after 5 minutes.
  heartbeatTimeout: '45 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: errorPatterns.filter((p) => !isRetryable(p)),
  },
});

/** After the activity's own retries are spent on an outage, try again on this timer (or on a person's retry). */
const OUTAGE_RETRY_AFTER = '10 minutes';

const superseded = Symbol('superseded');
/** The history has grown: continue as new with the document in hand. */
const restart = Symbol('restart');

/**
 * (Over 300 lines on purpose: one workflow function whose steps share its state through closures, and
 * revision 1's code paths must stay beside revision 2's for runs started before; the pause wait lives in
 * pause-wait.ts.)
 *
 * One sync per source invoice: makes QuickBooks match the document — customer, then items, then the
 * invoice, then its payments — and never creates anything twice. A failure either pauses (expired
 * connection, closed period) until a signal or its own check finds the cause gone, or waits with a
 * diagnosis until a person retries or resolves it. Signals are latched: one that arrives while the
 * failing step is still in flight counts. A newer version of the document, sent while this runs, is
 * converged to next; after `versionsPerRun` versions the run continues as new.
 */
export async function syncInvoice(input: SyncStartInput): Promise<SyncResult> {
  // Runs started before self-healing pauses (revision 1) replay the code path they ran.
  const healing = (input.revision ?? 1) >= 2;
  // Revision 3 publishes ChangedInQuickBooks (no extra upsert: it rides on the one reporting the wait).
  const changes = (input.revision ?? 1) >= 3;
  const timings = { ...defaultSyncTimings, ...input.timings };
  const syncId = workflowInfo().workflowId;
  let doc: SyncDocument = input.document;
  let newer: SyncInput | null = null;
  let batchIds: string[] = input.batchIds ?? (input.batchId ? [input.batchId] : []);
  let status = initialStatus(syncId, doc);
  if (input.decisions) status.decisions = [...input.decisions];
  let resume = false;
  let decision: ResolveDecision | null = null;
  // Latched signals: each one counts, whenever it arrives; a wait compares with the count when its attempt began.
  const signalled = { reconnected: 0, periodReopened: 0, retry: 0 };
  let versionsConverged = 0;

  const now = () => new Date().toISOString(); // the SDK makes Date deterministic inside workflows
  const publishTo = searchAttributePublisher(healing ? { coalesce: true, changes } : undefined);
  const publish = () => publishTo(status, batchIds);

  setHandler(statusQuery, () => status);
  setHandler(documentSubmittedSignal, (next) => {
    if (next.batchId && !batchIds.includes(next.batchId)) batchIds = [...batchIds, next.batchId];
    const latest = newer?.document ?? doc;
    if (next.document.invoice.version > latest.invoice.version) newer = next;
    publish();
  });
  const resumeWhen =
    (kind: 'reconnected' | 'periodReopened', reason: PauseReason) => (arg?: { note?: string }) => {
      status.decisions.push({ decision: { kind, note: arg?.note }, at: now() });
      if (healing) signalled[kind]++;
      else if (status.state === 'paused' && status.pauseReason === reason) resume = true;
    };
  setHandler(reconnectedSignal, resumeWhen('reconnected', 'auth'));
  setHandler(periodReopenedSignal, resumeWhen('periodReopened', 'closed_period'));
  setHandler(retrySignal, (arg) => {
    status.decisions.push({ decision: { kind: 'retry', note: arg?.note }, at: now() });
    if (healing) signalled.retry++;
    else if (status.state === 'needs_attention' || status.state === 'paused') resume = true;
  });
  setHandler(resolveSignal, (d) => {
    status.decisions.push({ decision: d, at: now() });
    if (healing || status.state === 'needs_attention' || status.state === 'paused') decision = d;
  });

  function enterStep(step: Step) {
    status.state = 'running';
    status.currentStep = step;
    status.pauseReason = null;
    status.steps[step].status = 'running';
    status.summary = `Syncing the ${step}.`;
    publish();
  }

  /**
   * Runs one record's activity until it succeeds, a person resolves it, its pause's cause is gone, or a
   * newer document arrives. `entityType` null: a step no decision applies to (voids); `txnDate`: the
   * transaction's date, which a closed period is checked against.
   */
  async function attempt<T extends EnsureResult | { voided: string[] }>(
    step: Step,
    entityType: EntityType | null,
    sourceId: string,
    /** `retries`: how many times QuickBooks definitely refused this record in this run so far. */
    run: (retries: number) => Promise<T>,
    txnDate?: string,
  ): Promise<T | typeof superseded | typeof restart> {
    let retries = 0;
    let next: () => Promise<T | EnsureResult> = () => run(retries);
    for (;;) {
      if (newer) return superseded;
      const seen = { ...signalled };
      try {
        const result = await next();
        if ('qboId' in result)
          recordOutcome(status, step, { sourceId, qboId: result.qboId, action: result.action });
        return result as T;
      } catch (err) {
        const error = toSyncError(err, step, sourceId);
        recordOutcome(status, step, { sourceId, error });
        const pause = pauseReasonFor(error.pattern);
        status.state = pause ? 'paused' : 'needs_attention';
        status.pauseReason = pause;
        status.lastError = error;
        status.steps[step].status = 'waiting';
        status.summary = waitingSummary(step, error.message);
        publish();

        const unattended = isRetryable(error.pattern);
        if (healing) {
          const latched =
            pause === 'auth' ? 'reconnected' : pause === 'closed_period' ? 'periodReopened' : null;
          const woke = () =>
            newer !== null ||
            decision !== null ||
            signalled.retry > seen.retry ||
            (latched !== null && signalled[latched] > seen[latched]);
          if (pause) {
            const end = await waitOutPause({
              realmId: doc.realmId,
              syncId,
              step,
              sourceId,
              reason: pause,
              error,
              txnDate,
              timings,
              revision: input.revision ?? 1,
              woke,
            });
            if (end === 'restart') return restart;
          } else if (unattended) await condition(woke, timings.outageRetryMs);
          else await condition(woke);
        } else {
          resume = false;
          decision = null;
          const woke = () => resume || decision !== null || newer !== null;
          if (unattended) await condition(woke, OUTAGE_RETRY_AFTER);
          else await condition(woke);
        }
        if (newer) return superseded;

        // Handlers may have set these while we awaited; TypeScript's narrowing cannot see that.
        const chosen = decision as ResolveDecision | null;
        decision = null;
        retries++;
        next = () => run(retries);
        if (chosen?.kind === 'redate') {
          doc = { ...doc, invoice: { ...doc.invoice, txnDate: chosen.txnDate } };
        } else if (chosen && entityType && chosen.step === step && chosen.sourceId === sourceId) {
          next = () => quickbooks.applyDecision({ realmId: doc.realmId, decision: chosen, entityType });
        }
        enterStep(step);
      }
    }
  }

  async function converge(): Promise<'done' | typeof superseded | typeof restart> {
    const { realmId } = doc;

    enterStep('customer');
    const customer = await attempt('customer', 'Customer', doc.customer.sourceId, () =>
      quickbooks.ensureCustomer({ realmId, syncId, customer: doc.customer }),
    );
    if (customer === superseded || customer === restart) return customer;
    status.steps.customer.status = 'done';

    enterStep('items');
    const itemQboIds: Record<string, string> = {};
    const items = [...new Map(doc.lines.map((l) => [l.item.sourceId, l.item])).values()];
    for (const item of items) {
      const result = await attempt('items', 'Item', item.sourceId, () =>
        quickbooks.ensureItem({ realmId, syncId, item }),
      );
      if (result === superseded || result === restart) return result;
      itemQboIds[item.sourceId] = result.qboId;
    }
    status.steps.items.status = 'done';

    enterStep('invoice');
    const invoice = await attempt(
      'invoice',
      'Invoice',
      doc.invoice.sourceId,
      (retries) =>
        quickbooks.ensureInvoice({
          realmId,
          syncId,
          invoice: doc.invoice,
          lines: doc.lines,
          customerQboId: customer.qboId,
          itemQboIds,
          ...(healing && retries ? { retries } : {}),
        }),
      doc.invoice.txnDate,
    );
    if (invoice === superseded || invoice === restart) return invoice;
    status.steps.invoice.status = 'done';

    enterStep('payments');
    for (const payment of doc.payments) {
      const result = await attempt(
        'payments',
        'Payment',
        payment.sourceId,
        (retries) =>
          quickbooks.ensurePayment({
            realmId,
            syncId,
            invoiceSourceId: doc.invoice.sourceId,
            payment,
            customerQboId: customer.qboId,
            invoiceQboId: invoice.qboId,
            ...(healing && retries ? { retries } : {}),
          }),
        payment.txnDate,
      );
      if (result === superseded || result === restart) return result;
    }
    if (doc.invoice.version > 1) {
      // A newer version may have dropped payments: void (never delete) the ones no longer sent.
      // After a definite refusal the void is a new request: QuickBooks answers a repeated requestid with
      // its first response, so resending the refused one would be refused forever.
      const voidRemoved = (retries = 0) =>
        quickbooks.voidRemovedPayments({
          realmId,
          syncId,
          invoiceSourceId: doc.invoice.sourceId,
          keepSourceIds: doc.payments.map((p) => p.sourceId),
          ...(retries ? { retries } : {}),
        });
      if (healing) {
        const voided = await attempt('payments', null, doc.invoice.sourceId, voidRemoved);
        if (voided === superseded || voided === restart) return voided;
      } else await voidRemoved();
    }
    status.steps.payments.status = 'done';
    return 'done';
  }

  publish();
  for (;;) {
    const outcome = await converge();
    if (outcome === 'done') versionsConverged++;
    const pending = newer as SyncInput | null;
    if (outcome === 'done' && !pending) break;
    if (healing && (outcome === restart || (pending && versionsConverged >= timings.versionsPerRun))) {
      // Keep the history small: carry the newest document, batches and decisions into a fresh run.
      await condition(allHandlersFinished);
      const latest = (newer as SyncInput | null)?.document ?? doc;
      return continueAsNew<typeof syncInvoice>({
        revision: SYNC_REVISION,
        document: latest,
        batchIds,
        decisions: status.decisions.slice(-20),
        ...(input.timings ? { timings: input.timings } : {}),
      });
    }
    if (pending) {
      doc = pending.document;
      newer = null;
      const decisions = status.decisions;
      status = { ...initialStatus(syncId, doc), decisions };
    }
  }

  status.state = 'completed';
  status.currentStep = null;
  status.pauseReason = null;
  status.summary = 'Completed: QuickBooks matches the document.';
  publish();
  await condition(allHandlersFinished);
  const late = newer as SyncInput | null;
  if (healing && late) {
    // A newer version arrived as this one completed: converge to it in a fresh run rather than drop it.
    return continueAsNew<typeof syncInvoice>({
      revision: SYNC_REVISION,
      document: late.document,
      batchIds,
      decisions: status.decisions.slice(-20),
      ...(input.timings ? { timings: input.timings } : {}),
    });
  }
  return status;
}

/** What a failed activity means for people. Activities always fail with a classified ApplicationFailure. */
function toSyncError(err: unknown, step: Step, sourceId: string): SyncError {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (
    cause instanceof ApplicationFailure &&
    cause.type &&
    (errorPatterns as readonly string[]).includes(cause.type)
  ) {
    const detail = (cause.details?.[0] ?? {}) as Partial<SyncError>;
    return {
      pattern: cause.type as ErrorPattern,
      code: detail.code ?? '',
      message: detail.message ?? cause.message,
      detail: detail.detail ?? '',
      hint: detail.hint ?? '',
      element: detail.element,
      intuitTid: detail.intuitTid,
      ...(detail.connectionVersion !== undefined ? { connectionVersion: detail.connectionVersion } : {}),
      step,
      sourceId,
    };
  }
  // Timeouts after every retry, or an unexpected activity error: QuickBooks may be down.
  return {
    pattern: 'transient_server',
    code: '',
    message: cause instanceof Error ? cause.message : 'The step did not finish.',
    detail: '',
    hint: 'QuickBooks did not answer in time. qbo-sync retries on its own; if this lasts more than a day, contact support.',
    step,
    sourceId,
  };
}
