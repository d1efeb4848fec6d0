/**
 * The shapes of a reconciliation result, shared by the reconcile activity, the API and the admin page.
 * Money is in cents (integers) so sums are exact; `impact` is how much the mismatch makes QuickBooks'
 * balance of the customer exceed what the source documents say.
 */

export const mismatchKinds = [
  'missing_in_quickbooks',
  'duplicate',
  'entered_in_quickbooks',
  'amount_edited',
  'not_synced',
  'unexplained',
] as const;
export type MismatchKind = (typeof mismatchKinds)[number];

export type ActionKind = 'void_duplicate' | 'resync' | 'link';

/** A button on a mismatch: what a person may do about it. */
export interface MismatchAction {
  kind: ActionKind;
  label: string;
  /** void_duplicate: entity + qboId; resync: invoiceSourceId; link: entity + qboId + sourceId. */
  target: {
    entity?: 'Invoice' | 'Payment';
    qboId?: string;
    sourceId?: string;
    invoiceSourceId?: string;
  };
}

export interface Mismatch {
  /** Stable across runs for the same cause: an action's idempotency key builds on it. */
  id: string;
  kind: MismatchKind;
  /** For duplicates: two_records | marker_not_linked | void_lost; for unexplained: balance | declared_differs. */
  reason?: string;
  entity: 'Customer' | 'Invoice' | 'Payment';
  customer: { sourceId?: string; qboId?: string; name?: string };
  sourceId?: string;
  invoiceSourceId?: string;
  qboId?: string;
  /** The other QuickBooks record (the linked original of a duplicate). */
  otherQboId?: string;
  amountCents: number;
  impactCents: number;
  syncId?: string;
  linkStatus?: string;
  explanation: string;
  fix: string;
  actions: MismatchAction[];
}

export interface CustomerBalance {
  sourceId: string;
  qboId: string;
  name?: string;
  quickbooksCents: number;
  sourceCents: number;
  declaredCents?: number;
  differenceCents: number;
}

export interface ReconciliationTotals {
  customers: number;
  customersMismatched: number;
  invoices: number;
  payments: number;
  sourceDocuments: number;
  /** Linked invoices with no stored document (synced before documents were kept): taken as QuickBooks says. */
  invoicesWithoutDocument: number;
  quickbooksCents: number;
  sourceCents: number;
  differenceCents: number;
  unexplainedCents: number;
  byKind: Record<MismatchKind, number>;
}

export interface ReconciliationResult {
  totals: ReconciliationTotals;
  customers: CustomerBalance[];
  mismatches: Mismatch[];
}
