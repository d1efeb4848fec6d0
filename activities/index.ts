import type { Db } from '../db/client';
import { applyDecision, type ApplyDecisionInput } from './apply-decision';
import { checkPauseCause, type CheckPauseCauseInput } from './check-pause-cause';
import { ensureCustomer, type EnsureCustomerInput } from './ensure-customer';
import { ensureInvoice, type EnsureInvoiceInput } from './ensure-invoice';
import { ensureItem, type EnsureItemInput } from './ensure-item';
import { ensurePayment, type EnsurePaymentInput } from './ensure-payment';
import type { EnsureResult } from '../sync/sync-deps';
import type { QboClient } from '../quickbooks/client';
import { qboLedger } from '../sync/qbo-ledger';
import type { Ledger } from '../sync/ledger';
import {
  reviewChangeNotices,
  sweepChanges,
  type ReviewNoticesResult,
  type SweepChangesInput,
  type SweepChangesResult,
} from './track-changes';
import { voidRemovedPayments, type VoidRemovedPaymentsInput } from './void-removed-payments';
import { reconcile, voidDuplicateRecord, type VoidDuplicateInput } from './reconcile';
import type { PauseCauseCheck } from '../sync/pause-causes';

export type { EnsureResult } from '../sync/sync-deps';
export type {
  ApplyDecisionInput,
  CheckPauseCauseInput,
  EnsureCustomerInput,
  EnsureInvoiceInput,
  EnsureItemInput,
  EnsurePaymentInput,
  VoidRemovedPaymentsInput,
};

/**
 * The activities the sync workflow calls, bound to their dependencies. The worker passes the real
 * database, QuickBooks client and ledger; tests pass others. Every failure leaves as an ApplicationFailure
 * whose type is the error pattern and whose details[0] is the SyncError.
 */
export function createActivities(input: {
  db: Db;
  qbo: QboClient;
  /** The books each company keeps (the worker's picks per company); QuickBooks Online when not given. */
  ledger?: Ledger;
  config: { throttleBackoffMs: number };
}) {
  const deps = { ...input, ledger: input.ledger ?? qboLedger(input.qbo) };
  return {
    ensureCustomer: (input: EnsureCustomerInput): Promise<EnsureResult> => ensureCustomer(deps, input),
    ensureItem: (input: EnsureItemInput): Promise<EnsureResult> => ensureItem(deps, input),
    ensureInvoice: (input: EnsureInvoiceInput): Promise<EnsureResult> => ensureInvoice(deps, input),
    ensurePayment: (input: EnsurePaymentInput): Promise<EnsureResult> => ensurePayment(deps, input),
    voidRemovedPayments: (input: VoidRemovedPaymentsInput): Promise<{ voided: string[] }> =>
      voidRemovedPayments(deps, input),
    applyDecision: (input: ApplyDecisionInput): Promise<EnsureResult> => applyDecision(deps, input),
    sweepChanges: (input: SweepChangesInput): Promise<SweepChangesResult> => sweepChanges(deps, input),
    reviewChangeNotices: (input: SweepChangesInput): Promise<ReviewNoticesResult> =>
      reviewChangeNotices(deps, input),
    reconcile: (input: { realmId: string }) => reconcile(deps, input),
    voidDuplicateRecord: (input: VoidDuplicateInput) => voidDuplicateRecord(deps, input),
    checkPauseCause: (input: CheckPauseCauseInput): Promise<PauseCauseCheck> => checkPauseCause(deps, input),
  };
}
