/** What the reconciliation passes share: indexes of both sides, the mismatches so far, money helpers. */
import type { Link } from '../db/queries/links';
import type { DeclaredBalance } from '../db/queries/source-balances';
import type { StoredDocument } from '../db/queries/source-documents';
import type { QboRecord } from '../quickbooks/client';
import { hasAnyMarker } from './foreign-payments';
import { markerFor } from './markers';
import type { Mismatch } from './reconciliation';

export interface ReconcileInput {
  realmId: string;
  documents: StoredDocument[];
  links: Link[];
  declared: DeclaredBalance[];
  quickbooks: { customers: QboRecord[]; invoices: QboRecord[]; payments: QboRecord[] };
}

export type Entity = 'Invoice' | 'Payment';

export type ExplainContext = ReturnType<typeof createContext>;

/** Indexes the input once; `add` accumulates what the source says a customer owes, `push` records a mismatch. */
export function createContext(input: ReconcileInput) {
  const { realmId, links } = input;
  const qbo = {
    Invoice: new Map(input.quickbooks.invoices.map((r) => [r.Id, r])),
    Payment: new Map(input.quickbooks.payments.map((r) => [r.Id, r])),
    Customer: new Map(input.quickbooks.customers.map((r) => [r.Id, r])),
  };
  const linkOf = indexLinks(links);
  const customerSource = new Map<string, string>(); // customer qboId → source id
  for (const l of links)
    if (l.entityType === 'Customer' && l.status === 'linked' && l.qboId)
      customerSource.set(l.qboId, l.sourceId);
  const mismatches: Mismatch[] = [];
  const expected = new Map<string, number>(); // customer qboId → cents the source documents say
  const add = (customerQboId: string, cents: number) =>
    expected.set(customerQboId, (expected.get(customerQboId) ?? 0) + cents);
  const push = (m: Omit<Mismatch, 'id'> & { id?: string }) =>
    mismatches.push({ id: m.id ?? `${m.kind}:${m.entity}:${m.qboId ?? m.sourceId}`, ...m });
  const customerOf = (qboId: string | undefined) => ({
    qboId,
    sourceId: qboId ? customerSource.get(qboId) : undefined,
    name: qboId ? str(qbo.Customer.get(qboId)?.DisplayName) : undefined,
  });
  return { realmId, qbo, linkOf, customerSource, mismatches, expected, add, push, customerOf };
}

export function indexLinks(links: Link[]) {
  const by = (type: string) =>
    new Map(links.filter((l) => l.entityType === type).map((l) => [l.sourceId, l]));
  return { Customer: by('Customer'), Invoice: by('Invoice'), Payment: by('Payment') };
}

/** QuickBooks id → the link that claims it (a live link wins over a voided one). */
export function claimedIds(links: Link[], entity: Entity): Map<string, Link> {
  const out = new Map<string, Link>();
  for (const l of links) {
    if (l.entityType !== entity || !l.qboId) continue;
    if (l.status === 'linked' || !out.has(l.qboId)) out.set(l.qboId, l);
  }
  return out;
}

/** The source id in a `qbo-sync:<sourceId>` marker, if the note carries one. */
export function markerSourceId(note: unknown): string | undefined {
  if (!hasAnyMarker(note)) return undefined;
  const prefix = markerFor('');
  return String(note)
    .split(/\s+/)
    .find((w) => w.startsWith(prefix))!
    .slice(prefix.length);
}

export function salesSubtotal(record: QboRecord): number {
  const lines = (record.Line ?? []) as { DetailType?: string; Amount?: number }[];
  return lines.filter((l) => l.DetailType === 'SalesItemLineDetail').reduce((s, l) => s + cents(l.Amount), 0);
}

export function resync(invoiceSourceId: string) {
  return { kind: 'resync' as const, label: 'Re-sync', target: { invoiceSourceId } };
}

export function voidIt(entity: Entity, qboId: string) {
  return { kind: 'void_duplicate' as const, label: 'Void duplicate', target: { entity, qboId } };
}

/** Exact cents of a QuickBooks or source amount. */
export function cents(value: unknown): number {
  return Math.round(Number(value ?? 0) * 100);
}

/** Cents as a money string, e.g. 12345 → "123.45". */
export function money(centsValue: number): string {
  return (centsValue / 100).toFixed(2);
}

export function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
