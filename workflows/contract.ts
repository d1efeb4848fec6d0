/**
 * The sync workflow's public contract: ids, signals, queries, search attributes and the shapes they
 * carry. Pure and deterministic, so both the workflow bundle and the API import it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const steps = ['customer', 'items', 'invoice', 'payments'] as const;
export type Step = (typeof steps)[number];

export const syncStates = ['queued', 'running', 'paused', 'needs_attention', 'completed', 'failed'] as const;
export type SyncState = (typeof syncStates)[number];

// connector_offline: a QuickBooks Desktop company's Web Connector has not polled (the PC is off).
export const pauseReasons = ['auth', 'closed_period', 'connector_offline'] as const;
export type PauseReason = (typeof pauseReasons)[number];

export const errorPatterns = [
  'duplicate_name',
  'duplicate_doc_number',
  'inactive_or_missing_reference',
  'closed_period',
  'invalid_field',
  'tax_mismatch',
  'account_mapping',
  'auth_expired',
  'auth_forbidden',
  'throttled',
  'transient_server',
  'stale_object',
  'company_status',
  // A record we synced was deleted or voided in QuickBooks (sync/drift.ts): a person decides.
  'changed_in_quickbooks',
  // QuickBooks Desktop: the Web Connector did not come for the request (desktop/desktop-ledger.ts).
  'connector_offline',
  'other',
] as const;
export type ErrorPattern = (typeof errorPatterns)[number];

/** What a person (or the diagnostics page) needs to know about a failure. Never holds a secret. */
export interface SyncError {
  pattern: ErrorPattern;
  code: string;
  message: string;
  detail: string;
  hint: string;
  element?: string;
  intuitTid?: string;
  /** The step and source record the error belongs to. */
  step?: Step;
  sourceId?: string;
  /** For auth failures: the connection's token generation the failed attempt saw (0: not connected). */
  connectionVersion?: number;
}

// ---- The document the source app sends (validated by api/schemas/sync-document.ts) ----

export interface Address {
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface CustomerDoc {
  sourceId: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  billingAddress?: Address;
}

export type ItemType = 'Service' | 'NonInventory' | 'Inventory';

export interface ItemDoc {
  sourceId: string;
  sku?: string;
  name: string;
  type: ItemType;
  description?: string;
  unitPrice: number;
}

export interface LineDoc {
  item: ItemDoc;
  description?: string;
  quantity: number;
  amount: number;
  taxCategory?: string;
}

export interface InvoiceDoc {
  sourceId: string;
  version: number;
  docNumber?: string;
  txnDate: string; // YYYY-MM-DD
  dueDate?: string;
  memo?: string;
}

export interface PaymentDoc {
  sourceId: string;
  txnDate: string;
  amount: number;
  method?: string;
  reference?: string;
}

export interface SyncDocument {
  realmId: string;
  customer: CustomerDoc;
  invoice: InvoiceDoc;
  lines: LineDoc[];
  payments: PaymentDoc[];
}

// ---- Workflow input, status and decisions ----

export interface SyncInput {
  document: SyncDocument;
  batchId?: string;
}

/** How often a paused or waiting sync looks again on its own. Set by the API from config; defaults below. */
export interface SyncTimings {
  /**
   * A paused sync checks its cause before it waits, then on ticks of this interval aligned to the clock, so
   * a company's syncs check together and share one read of its book-close date.
   */
  pauseCheckMs: number;
  /**
   * From revision 4, an expired connection is checked less often the longer it stays expired: the wait
   * doubles after each check, up to this. The reconnect routes signal every waiting sync from Postgres,
   * so the check is the backstop for a signal that never came, and thousands of long waits cost little.
   */
  pauseCheckMaxMs: number;
  /** An outage that outlived the activity's own retries is tried again after this. */
  outageRetryMs: number;
  /** Converged versions after which a run continues as new, keeping its history small. */
  versionsPerRun: number;
}

export const defaultSyncTimings: SyncTimings = {
  pauseCheckMs: 5 * 60_000,
  pauseCheckMaxMs: 30 * 60_000,
  outageRetryMs: 10 * 60_000,
  versionsPerRun: 50,
};

/**
 * The revision of the workflow's behaviour a run follows, fixed by its start input so a run replays the
 * same way forever. 1 (absent): runs started before self-healing pauses. 2: latched signals, pauses
 * that check their own cause, a void step that pauses, one search-attribute upsert per state change,
 * continue-as-new. 3: an expired connection's self-checks are spread over the interval by sync id
 * instead of all firing on the aligned tick (workflows/pause-wait.ts), and the ChangedInQuickBooks search
 * attribute is set in the upsert that reports the wait (both landed together, before any revision-3 run
 * existed outside tests). (Not `patched()`: each patch marker upserts TemporalChangeVersion, one more
 * billable action on every sync.) 4: an expired connection's checks after the first wait grow, doubling up
 * to `pauseCheckMaxMs` (workflows/pause-wait.ts).
 */
export const SYNC_REVISION = 4;

/** The workflow's start input: the document plus what a continued run carries over. */
export interface SyncStartInput extends SyncInput {
  /** See SYNC_REVISION; the API and continue-as-new set it. */
  revision?: number;
  timings?: Partial<SyncTimings>;
  /** Carried over by continue-as-new. */
  batchIds?: string[];
  decisions?: DecisionRecord[];
}

export type RecordAction = 'created' | 'updated' | 'unchanged' | 'linked' | 'manual';

export interface RecordOutcome {
  sourceId: string;
  qboId?: string;
  action?: RecordAction;
  error?: SyncError;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'waiting';

export interface StepOutcome {
  status: StepStatus;
  records: RecordOutcome[];
}

export type ResolveDecision =
  | { kind: 'link'; step: Step; sourceId: string; qboId: string; note?: string }
  | { kind: 'manual'; step: Step; sourceId: string; qboId?: string; note?: string }
  | { kind: 'redate'; txnDate: string; note?: string };

export interface DecisionRecord {
  decision: ResolveDecision | { kind: 'retry' | 'reconnected' | 'periodReopened'; note?: string };
  at: string;
}

export interface SyncStatus {
  syncId: string;
  realmId: string;
  sourceInvoiceId: string;
  documentVersion: number;
  state: SyncState;
  currentStep: Step | null;
  pauseReason: PauseReason | null;
  /** One sentence for people: what is happening or what is stuck, and what waits on it. */
  summary: string;
  steps: Record<Step, StepOutcome>;
  lastError: SyncError | null;
  decisions: DecisionRecord[];
}

/** The workflow's result: the status it completed with. */
export type SyncResult = SyncStatus;

// ---- Ids ----

/** One workflow per company and source invoice; the id is the sync id. */
export function syncWorkflowId(realmId: string, sourceInvoiceId: string): string {
  return `sync:${realmId}:${sourceInvoiceId}`;
}

/** The workflow type every sync runs as. */
export const syncWorkflowType = 'syncInvoice';

/** True for ids syncWorkflowId can produce: `sync:<realmId>:<source invoice id>`. */
export function isSyncWorkflowId(id: string): boolean {
  return /^sync:[0-9A-Za-z_-]{1,64}:[\x21-\x7e]{1,100}$/.test(id);
}

// ---- Messages ----

export const documentSubmittedSignal = defineSignal<[SyncInput]>('documentSubmitted');
export const reconnectedSignal = defineSignal<[{ note?: string }?]>('reconnected');
export const periodReopenedSignal = defineSignal<[{ note?: string }?]>('periodReopened');
export const retrySignal = defineSignal<[{ note?: string }?]>('retry');
export const resolveSignal = defineSignal<[ResolveDecision]>('resolve');
export const statusQuery = defineQuery<SyncStatus>('status');

// ---- Search attributes (registered at boot by scripts/lib/search-attributes.ts) ----

export const searchAttributes = {
  realmId: defineSearchAttributeKey('RealmId', SearchAttributeType.KEYWORD),
  syncState: defineSearchAttributeKey('SyncState', SearchAttributeType.KEYWORD),
  pauseReason: defineSearchAttributeKey('PauseReason', SearchAttributeType.KEYWORD),
  errorPattern: defineSearchAttributeKey('ErrorPattern', SearchAttributeType.KEYWORD),
  sourceInvoiceId: defineSearchAttributeKey('SourceInvoiceId', SearchAttributeType.KEYWORD),
  currentStep: defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD),
  batchIds: defineSearchAttributeKey('BatchIds', SearchAttributeType.KEYWORD_LIST),
  /** The records of this sync (`Invoice`, `Payment`) that a sync met changed in QuickBooks; kept once set. */
  changedInQuickbooks: defineSearchAttributeKey('ChangedInQuickBooks', SearchAttributeType.KEYWORD_LIST),
};
