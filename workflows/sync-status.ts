import type { RecordOutcome, Step, StepOutcome, SyncDocument, SyncStatus } from './contract';
import { steps } from './contract';

/** A fresh status for a document: every step pending. */
export function initialStatus(syncId: string, doc: SyncDocument): SyncStatus {
  return {
    syncId,
    realmId: doc.realmId,
    sourceInvoiceId: doc.invoice.sourceId,
    documentVersion: doc.invoice.version,
    state: 'queued',
    currentStep: null,
    pauseReason: null,
    summary: 'Queued.',
    steps: Object.fromEntries(steps.map((s) => [s, { status: 'pending', records: [] }])) as unknown as Record<
      Step,
      StepOutcome
    >,
    lastError: null,
    decisions: [],
  };
}

/** Sets the outcome of one source record within a step, replacing any earlier outcome for it. */
export function recordOutcome(status: SyncStatus, step: Step, outcome: RecordOutcome): void {
  const records = status.steps[step].records.filter((r) => r.sourceId !== outcome.sourceId);
  status.steps[step].records = [...records, outcome];
}

const stepNames: Record<Step, string> = {
  customer: 'Customer not synced',
  items: 'Item not synced',
  invoice: 'Invoice not synced',
  payments: 'Payment not synced',
};

/** One sentence for people: what is stuck, and what waits on it. */
export function waitingSummary(step: Step, message: string): string {
  const downstream: Record<Step, string> = {
    customer: ' The invoice and its payments wait for the customer.',
    items: ' The invoice and its payments wait for its items.',
    invoice: ' Its payments wait for the invoice.',
    payments: '',
  };
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return `${stepNames[step]}: ${sentence}${downstream[step]}`;
}
