import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
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
} from './contract';
import { isRetryable, pauseReasonFor } from './pattern-policy';
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

/**
 * One sync per source invoice: makes QuickBooks match the document — customer, then items, then the
 * invoice, then its payments — and never creates anything twice. A failure either pauses until a person
 * signals (expired connection, closed period) or waits with a diagnosis until a person retries or
 * resolves it. A newer version of the document, sent while this runs, is converged to next.
 */
export async function syncInvoice(input: SyncInput): Promise<SyncResult> {
  const syncId = workflowInfo().workflowId;
  let doc: SyncDocument = input.document;
  let newer: SyncInput | null = null;
  let batchIds: string[] = input.batchId ? [input.batchId] : [];
  let status = initialStatus(syncId, doc);
  let resume = false;
  let decision: ResolveDecision | null = null;

  const now = () => new Date().toISOString(); // the SDK makes Date deterministic inside workflows
  const publishTo = searchAttributePublisher();
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
      if (status.state === 'paused' && status.pauseReason === reason) resume = true;
    };
  setHandler(reconnectedSignal, resumeWhen('reconnected', 'auth'));
  setHandler(periodReopenedSignal, resumeWhen('periodReopened', 'closed_period'));
  setHandler(retrySignal, (arg) => {
    status.decisions.push({ decision: { kind: 'retry', note: arg?.note }, at: now() });
    if (status.state === 'needs_attention' || status.state === 'paused') resume = true;
  });
  setHandler(resolveSignal, (d) => {
    status.decisions.push({ decision: d, at: now() });
    if (status.state === 'needs_attention' || status.state === 'paused') decision = d;
  });

  function enterStep(step: Step) {
    status.state = 'running';
    status.currentStep = step;
    status.pauseReason = null;
    status.steps[step].status = 'running';
    status.summary = `Syncing the ${step}.`;
    publish();
  }

  /** Runs one record's activity until it succeeds, a person resolves it, or a newer document arrives. */
  async function attempt(
    step: Step,
    entityType: EntityType,
    sourceId: string,
    run: () => Promise<EnsureResult>,
  ): Promise<EnsureResult | typeof superseded> {
    let next = run;
    for (;;) {
      if (newer) return superseded;
      try {
        const result = await next();
        recordOutcome(status, step, { sourceId, qboId: result.qboId, action: result.action });
        return result;
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

        resume = false;
        decision = null;
        const unattended = isRetryable(error.pattern);
        const woke = () => resume || decision !== null || newer !== null;
        if (unattended) await condition(woke, OUTAGE_RETRY_AFTER);
        else await condition(woke);
        if (newer) return superseded;

        // Handlers may have set these while we awaited; TypeScript's narrowing cannot see that.
        const chosen = decision as ResolveDecision | null;
        decision = null;
        next = run;
        if (chosen?.kind === 'redate') {
          doc = { ...doc, invoice: { ...doc.invoice, txnDate: chosen.txnDate } };
        } else if (chosen && chosen.step === step && chosen.sourceId === sourceId) {
          next = () => quickbooks.applyDecision({ realmId: doc.realmId, decision: chosen, entityType });
        }
        enterStep(step);
      }
    }
  }

  async function converge(): Promise<'done' | typeof superseded> {
    const { realmId } = doc;

    enterStep('customer');
    const customer = await attempt('customer', 'Customer', doc.customer.sourceId, () =>
      quickbooks.ensureCustomer({ realmId, syncId, customer: doc.customer }),
    );
    if (customer === superseded) return superseded;
    status.steps.customer.status = 'done';

    enterStep('items');
    const itemQboIds: Record<string, string> = {};
    const items = [...new Map(doc.lines.map((l) => [l.item.sourceId, l.item])).values()];
    for (const item of items) {
      const result = await attempt('items', 'Item', item.sourceId, () =>
        quickbooks.ensureItem({ realmId, syncId, item }),
      );
      if (result === superseded) return superseded;
      itemQboIds[item.sourceId] = result.qboId;
    }
    status.steps.items.status = 'done';

    enterStep('invoice');
    const invoice = await attempt('invoice', 'Invoice', doc.invoice.sourceId, () =>
      quickbooks.ensureInvoice({
        realmId,
        syncId,
        invoice: doc.invoice,
        lines: doc.lines,
        customerQboId: customer.qboId,
        itemQboIds,
      }),
    );
    if (invoice === superseded) return superseded;
    status.steps.invoice.status = 'done';

    enterStep('payments');
    for (const payment of doc.payments) {
      const result = await attempt('payments', 'Payment', payment.sourceId, () =>
        quickbooks.ensurePayment({
          realmId,
          syncId,
          invoiceSourceId: doc.invoice.sourceId,
          payment,
          customerQboId: customer.qboId,
          invoiceQboId: invoice.qboId,
        }),
      );
      if (result === superseded) return superseded;
    }
    if (doc.invoice.version > 1) {
      // A newer version may have dropped payments: void (never delete) the ones no longer sent.
      await quickbooks.voidRemovedPayments({
        realmId,
        syncId,
        invoiceSourceId: doc.invoice.sourceId,
        keepSourceIds: doc.payments.map((p) => p.sourceId),
      });
    }
    status.steps.payments.status = 'done';
    return 'done';
  }

  publish();
  for (;;) {
    const outcome = await converge();
    const pending = newer as SyncInput | null;
    if (outcome === 'done' && !pending) break;
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
