import type { QboRecord } from '../quickbooks/client';
import { isVoided } from './markers';

/** What happened in QuickBooks to a record we linked, behind our back. */
export const driftKinds = ['deleted', 'voided', 'edited', 'merged', 'inactive'] as const;
export type DriftKind = (typeof driftKinds)[number];

/** A person's answer to a drifted record (workflows/contract.ts ResolveDecision `manual` is "accept"). */
export type DriftDecision = 'recreate' | 'overwrite';

export interface Drift {
  kind: DriftKind;
  /** For `edited`: the fields we wrote that QuickBooks now holds differently. */
  fields?: string[];
  /** For `edited`: each such field as we wrote it and as QuickBooks holds it now. */
  changes?: Record<string, { was: unknown; now: unknown }>;
  /** For `merged`: the record it was merged into. */
  mergedInto?: string;
  /** QuickBooks' SyncToken when the drift was seen (absent for a delete). */
  qboSyncToken?: string;
  /** QuickBooks' time of the change, when known. */
  changedAt?: string;
  /** How we noticed: a webhook, the CDC sweep, or a sync's write being refused. */
  seenBy: 'webhook' | 'sweep' | 'sync';
  /** Set by a person's decision; the next sync of the record acts on it. */
  decision?: DriftDecision;
}

/** The fields we own, as QuickBooks holds them: what drift is measured against. */
export type Written = Record<string, unknown>;

const ref = (v: unknown) => (v as { value?: unknown } | undefined)?.value ?? null;
const money = (v: unknown) => (v === undefined || v === null ? null : Math.round(Number(v) * 100) / 100);

/**
 * Our fields of a record as QuickBooks returned it: amount, customer, lines, date and number for
 * transactions; name and active for lists. Balance, LinkedTxn on invoices, SyncToken and the PrivateNote are
 * left out, since QuickBooks or the bookkeeper change them without changing what we synced.
 */
export function writtenFields(entityType: string, record: QboRecord): Written {
  switch (entityType) {
    case 'Invoice':
      return {
        amount: money(record.TotalAmt),
        customer: ref(record.CustomerRef),
        date: record.TxnDate ?? null,
        docNumber: record.DocNumber ?? null,
        lines: ((record.Line ?? []) as Record<string, any>[])
          .filter((l) => l.DetailType === 'SalesItemLineDetail')
          .map((l) => ({
            item: ref(l.SalesItemLineDetail?.ItemRef),
            qty: l.SalesItemLineDetail?.Qty ?? null,
            amount: money(l.Amount),
          })),
      };
    case 'Payment':
      return {
        amount: money(record.TotalAmt),
        customer: ref(record.CustomerRef),
        date: record.TxnDate ?? null,
        invoices: ((record.Line ?? []) as Record<string, any>[])
          .flatMap((l) => (l.LinkedTxn ?? []).map((t: { TxnId: string }) => String(t.TxnId)))
          .sort(),
      };
    case 'Customer':
      return { name: record.DisplayName ?? null, active: record.Active ?? true };
    case 'Item':
      return { name: record.Name ?? null, active: record.Active ?? true };
    default:
      return {};
  }
}

/** The link facts the classification needs. */
export interface LinkFacts {
  entityType: string;
  status: string;
  syncToken: string | null;
  written: unknown;
  linkedBy: string | null;
}

/**
 * Classifies what a changed QuickBooks record means for our link: deleted, voided, made inactive, or edited
 * in a field we wrote; null for our own writes (same SyncToken, or the same fields we wrote) and for changes
 * to what we do not own. A link a person marked entered by hand is theirs: never drift.
 */
export function classifyDrift(
  link: LinkFacts,
  record: (QboRecord & { status?: string }) | { Id: string; status: 'Deleted'; SyncToken?: string },
  seenBy: Drift['seenBy'],
): Drift | null {
  if (link.linkedBy === 'manual') return null;
  const changedAt = (record as { MetaData?: { LastUpdatedTime?: string } }).MetaData?.LastUpdatedTime;
  if (record.status === 'Deleted') return { kind: 'deleted', changedAt, seenBy };
  const full = record as QboRecord;
  if (full.SyncToken !== undefined && full.SyncToken === link.syncToken) return null;
  const base = { qboSyncToken: full.SyncToken, changedAt, seenBy };
  if ((link.entityType === 'Invoice' || link.entityType === 'Payment') && isVoided(full)) {
    // We void payments a newer version dropped: those links are already marked voided.
    return link.status === 'voided' ? null : { kind: 'voided', ...base };
  }
  const written = (link.written ?? null) as Written | null;
  if (full.Active === false && written?.active !== false) return { kind: 'inactive', ...base };
  if (!written) return null;
  const now = writtenFields(link.entityType, full);
  const fields = Object.keys(written).filter(
    (k) => k !== 'active' && canonical(written[k]) !== canonical(now[k]),
  );
  if (!fields.length) return null;
  const changes = Object.fromEntries(fields.map((k) => [k, { was: written[k], now: now[k] }]));
  return { kind: 'edited', fields, changes, ...base };
}

/** JSON with sorted keys: Postgres jsonb does not keep the order the fields were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Plain words for a drift, for people. */
export function describeDrift(entityType: string, qboId: string | null, drift: Drift): string {
  const what = `${entityType} ${qboId ?? ''}`.trim();
  switch (drift.kind) {
    case 'deleted':
      return `${what} was deleted in QuickBooks.`;
    case 'voided':
      return `${what} was voided in QuickBooks.`;
    case 'inactive':
      return `${what} was made inactive in QuickBooks.`;
    case 'merged':
      return `${what} was merged into ${drift.mergedInto ?? 'another record'} in QuickBooks.`;
    case 'edited':
      return `${what} was edited in QuickBooks: ${(drift.fields ?? []).join(', ')} changed.`;
  }
}
