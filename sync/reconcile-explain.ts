/**
 * Compares QuickBooks' side (every customer, invoice and payment, read in bulk) with the source documents
 * and our links, and explains each difference. Pure: no I/O, so it is tested and measured on its own.
 * Longer than most files because the six explanations share one pass over the same indexes.
 */
import type { Link } from '../db/queries/links';
import type { DeclaredBalance } from '../db/queries/source-balances';
import type { StoredDocument } from '../db/queries/source-documents';
import type { QboRecord } from '../quickbooks/client';
import { syncWorkflowId } from '../workflows/contract';
import { hasAnyMarker } from './foreign-payments';
import { isVoided, markerFor } from './markers';
import {
  mismatchKinds,
  type CustomerBalance,
  type Mismatch,
  type MismatchKind,
  type ReconciliationResult,
} from './reconciliation';

export interface ReconcileInput {
  realmId: string;
  documents: StoredDocument[];
  links: Link[];
  declared: DeclaredBalance[];
  quickbooks: { customers: QboRecord[]; invoices: QboRecord[]; payments: QboRecord[] };
}

type Entity = 'Invoice' | 'Payment';

/** Explains every mismatch between QuickBooks, the source documents and the links of one company. */
export function explainMismatches(input: ReconcileInput): ReconciliationResult {
  const { realmId, documents, links } = input;
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

  const sourcePayments = new Map<string, { invoiceSourceId: string; amount: number }>();
  for (const doc of documents) {
    const syncId = syncWorkflowId(realmId, doc.invoice.sourceId);
    const customerQboId = linkOf.Customer.get(doc.customer.sourceId)?.qboId ?? undefined;
    const customer = { ...customerOf(customerQboId), sourceId: doc.customer.sourceId };
    const linesTotal = doc.lines.reduce((sum, l) => sum + cents(l.amount), 0);
    const paid = doc.payments.reduce((sum, p) => sum + cents(p.amount), 0);
    for (const p of doc.payments)
      sourcePayments.set(p.sourceId, { invoiceSourceId: doc.invoice.sourceId, amount: cents(p.amount) });
    const invLink = linkOf.Invoice.get(doc.invoice.sourceId);
    if (invLink?.linkedBy === 'manual') continue; // entered by hand: a person vouches for it
    if (!customerQboId || invLink?.status !== 'linked' || !invLink.qboId) {
      if (customerQboId) add(customerQboId, linesTotal - paid);
      push({
        kind: 'not_synced',
        entity: 'Invoice',
        customer,
        sourceId: doc.invoice.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        amountCents: linesTotal,
        impactCents: -(linesTotal - paid),
        syncId,
        linkStatus: invLink?.status ?? 'none',
        explanation:
          `Source invoice ${doc.invoice.sourceId} (${money(linesTotal)} before tax` +
          (paid ? `, ${money(paid)} paid` : '') +
          `) was never synced: its sync ${syncId} is waiting or failed (link ${invLink?.status ?? 'none'}).`,
        fix: 'Open the sync, fix what it waits for and retry it (or re-sync from here): QuickBooks then gets the invoice.',
        actions: [resync(doc.invoice.sourceId)],
      });
      continue;
    }
    const record = qbo.Invoice.get(invLink.qboId);
    if (!record || isVoided(record)) {
      add(customerQboId, linesTotal);
      push({
        kind: 'missing_in_quickbooks',
        entity: 'Invoice',
        customer,
        sourceId: doc.invoice.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        qboId: invLink.qboId,
        amountCents: linesTotal,
        impactCents: -linesTotal,
        syncId,
        explanation:
          `Source invoice ${doc.invoice.sourceId} is linked to QuickBooks invoice ${invLink.qboId}, which is ` +
          `${record ? 'voided' : 'deleted'} in QuickBooks (${money(linesTotal)} before tax missing).`,
        fix: 'Create the missing invoice again (re-sync); do not remove the source invoice.',
        actions: [resync(doc.invoice.sourceId)],
      });
    } else {
      const subtotal = salesSubtotal(record);
      const tax = cents(record.TotalAmt) - subtotal;
      add(customerQboId, linesTotal + tax);
      if (subtotal !== linesTotal) {
        const lagging = (invLink.sourceVersion ?? 0) < doc.invoice.version;
        push({
          kind: lagging ? 'not_synced' : 'amount_edited',
          entity: 'Invoice',
          customer,
          sourceId: doc.invoice.sourceId,
          invoiceSourceId: doc.invoice.sourceId,
          qboId: record.Id,
          amountCents: subtotal,
          impactCents: subtotal - linesTotal,
          syncId,
          explanation: lagging
            ? `Version ${doc.invoice.version} of source invoice ${doc.invoice.sourceId} (${money(linesTotal)}) ` +
              `is not synced yet: QuickBooks invoice ${record.Id} still has version ${invLink.sourceVersion ?? '?'} ` +
              `(${money(subtotal)}); its sync ${syncId} is waiting or failed.`
            : `QuickBooks invoice ${record.Id} totals ${money(subtotal)} before tax; the source invoice ` +
              `${doc.invoice.sourceId} says ${money(linesTotal)}: its amount was edited in QuickBooks.`,
          fix: lagging
            ? 'Open the sync, fix what it waits for and retry it.'
            : 'Re-sync to put the source amount back, or correct the source app if QuickBooks is right.',
          actions: [resync(doc.invoice.sourceId)],
        });
      }
    }
    for (const p of doc.payments) {
      const amount = cents(p.amount);
      add(customerQboId, -amount);
      const pl = linkOf.Payment.get(p.sourceId);
      if (pl?.linkedBy === 'manual') continue;
      const base = {
        entity: 'Payment' as const,
        customer,
        sourceId: p.sourceId,
        invoiceSourceId: doc.invoice.sourceId,
        syncId,
        amountCents: amount,
      };
      if (pl?.status !== 'linked' || !pl.qboId) {
        push({
          ...base,
          kind: 'not_synced',
          impactCents: amount,
          linkStatus: pl?.status ?? 'none',
          explanation:
            `Source payment ${p.sourceId} (${money(amount)} on ${p.txnDate}) of invoice ${doc.invoice.sourceId} ` +
            `was never synced: its sync ${syncId} is waiting or failed (link ${pl?.status ?? 'none'}).`,
          fix: 'Open the sync, fix what it waits for and retry it (or re-sync from here).',
          actions: [resync(doc.invoice.sourceId)],
        });
        continue;
      }
      const rec = qbo.Payment.get(pl.qboId);
      if (!rec || isVoided(rec)) {
        push({
          ...base,
          kind: 'missing_in_quickbooks',
          qboId: pl.qboId,
          impactCents: amount,
          explanation:
            `Source payment ${p.sourceId} (${money(amount)}) is linked to QuickBooks payment ${pl.qboId}, ` +
            `which is ${rec ? 'voided' : 'deleted'} in QuickBooks.`,
          fix: 'Record the payment again (re-sync); do not remove it from the source app.',
          actions: [resync(doc.invoice.sourceId)],
        });
      } else if (cents(rec.TotalAmt) !== amount) {
        push({
          ...base,
          kind: 'amount_edited',
          qboId: rec.Id,
          amountCents: cents(rec.TotalAmt),
          impactCents: amount - cents(rec.TotalAmt),
          explanation:
            `QuickBooks payment ${rec.Id} is ${money(cents(rec.TotalAmt))}; source payment ${p.sourceId} is ` +
            `${money(amount)}: its amount was edited in QuickBooks.`,
          fix: 'Re-sync to put the source amount back, or correct the source app if QuickBooks is right.',
          actions: [resync(doc.invoice.sourceId)],
        });
      }
    }
  }

  // QuickBooks' side: records of our customers that no source record accounts for.
  const claimed = { Invoice: claimedIds(links, 'Invoice'), Payment: claimedIds(links, 'Payment') };
  const withDocument = new Set(documents.map((d) => d.invoice.sourceId));
  let invoicesWithoutDocument = 0;
  for (const entity of ['Invoice', 'Payment'] as const) {
    const sign = entity === 'Invoice' ? 1 : -1;
    for (const record of qbo[entity].values()) {
      const customerQboId = str((record.CustomerRef as { value?: string } | undefined)?.value);
      if (!customerQboId || !customerSource.has(customerQboId) || isVoided(record)) continue;
      const amount = cents(record.TotalAmt);
      const customer = customerOf(customerQboId);
      const link = claimed[entity].get(record.Id);
      const markedFor = markerSourceId(record.PrivateNote);
      if (link && link.status === 'linked') {
        if (entity === 'Invoice' && !withDocument.has(link.sourceId)) {
          invoicesWithoutDocument++;
          add(customerQboId, amount); // no document to compare with: QuickBooks' word is taken
        }
        if (entity === 'Payment' && !sourcePayments.has(link.sourceId)) {
          const parent = link.parentSourceId ?? undefined;
          if (parent && withDocument.has(parent) && link.linkedBy === 'foreign') {
            push({
              kind: 'entered_in_quickbooks',
              entity,
              customer,
              sourceId: link.sourceId,
              invoiceSourceId: parent,
              qboId: record.Id,
              amountCents: amount,
              impactCents: -amount,
              explanation:
                `QuickBooks payment ${record.Id} (${money(amount)}) was entered by another integration or a person and ` +
                `linked to source payment ${link.sourceId}, which invoice ${parent} no longer has.`,
              fix: 'Void it where it was entered (the other app, or by hand in QuickBooks); qbo-sync does not void records it did not create.',
              actions: [],
            });
          } else if (parent && withDocument.has(parent)) {
            push({
              kind: 'duplicate',
              reason: 'void_lost',
              entity,
              customer,
              sourceId: link.sourceId,
              invoiceSourceId: parent,
              qboId: record.Id,
              amountCents: amount,
              impactCents: -amount,
              explanation:
                `QuickBooks payment ${record.Id} (${money(amount)}) was recorded for source payment ` +
                `${link.sourceId}, which invoice ${parent} no longer has: qbo-sync meant to void it and the void was lost.`,
              fix: 'Void the payment in QuickBooks (never delete it).',
              actions: [voidIt(entity, record.Id)],
            });
          } else add(customerQboId, -amount); // no document: QuickBooks' word is taken
        }
        continue;
      }
      if (link && link.status === 'voided') {
        push({
          kind: 'duplicate',
          reason: 'void_lost',
          entity,
          customer,
          sourceId: link.sourceId,
          invoiceSourceId: link.parentSourceId ?? undefined,
          qboId: record.Id,
          amountCents: amount,
          impactCents: sign * amount,
          explanation: `QuickBooks ${entity.toLowerCase()} ${record.Id} (${money(amount)}) is recorded as voided by qbo-sync but is live in QuickBooks: the void was lost.`,
          fix: 'Void it in QuickBooks (never delete it).',
          actions: [voidIt(entity, record.Id)],
        });
        continue;
      }
      if (markedFor !== undefined) {
        const own = linkOf[entity].get(markedFor);
        const twin = own?.status === 'linked' && own.qboId && own.qboId !== record.Id ? own.qboId : undefined;
        push({
          kind: 'duplicate',
          reason: twin ? 'two_records' : 'marker_not_linked',
          entity,
          customer,
          sourceId: markedFor,
          invoiceSourceId: entity === 'Invoice' ? markedFor : (own?.parentSourceId ?? undefined),
          qboId: record.Id,
          otherQboId: twin,
          amountCents: amount,
          impactCents: sign * amount,
          linkStatus: own?.status ?? 'none',
          explanation: twin
            ? `Two QuickBooks ${entity.toLowerCase()}s for source ${entity.toLowerCase()} ${markedFor}: ` +
              `${twin} (linked) and ${record.Id} (${money(amount)}, carries qbo-sync's marker, not linked).`
            : `QuickBooks ${entity.toLowerCase()} ${record.Id} (${money(amount)}) carries qbo-sync's marker for ` +
              `source ${entity.toLowerCase()} ${markedFor} but is not linked (link ${own?.status ?? 'none'}).`,
          fix: twin
            ? `Void the duplicate ${record.Id} (never delete it); ${twin} stays.`
            : 'Link it to its source record, or void it if the source record is gone (never delete it).',
          actions: twin
            ? [voidIt(entity, record.Id)]
            : [
                { kind: 'link', label: 'Link', target: { entity, qboId: record.Id, sourceId: markedFor } },
                voidIt(entity, record.Id),
              ],
        });
        continue;
      }
      push({
        kind: 'entered_in_quickbooks',
        entity,
        customer,
        qboId: record.Id,
        amountCents: amount,
        impactCents: sign * amount,
        explanation:
          `QuickBooks ${entity.toLowerCase()} ${record.Id} (${money(amount)} on ${str(record.TxnDate)}` +
          (record.PaymentRefNum ? `, ref ${str(record.PaymentRefNum)}` : '') +
          `) was entered in QuickBooks directly (no qbo-sync link or marker): another integration or a person.`,
        fix:
          entity === 'Payment'
            ? 'If the source app has this payment, link it to it; if it is a second record of a payment already ' +
              'recorded, void it in QuickBooks (never delete); otherwise record it in the source app.'
            : 'Record the invoice in the source app (then link it), or void it in QuickBooks if it should not exist.',
        actions: [],
      });
    }
  }

  offerLinks(mismatches);
  const customers = balances(input, expected, customerSource, qbo.Customer);
  for (const c of customers) {
    const explained = mismatches
      .filter((m) => m.customer.qboId === c.qboId)
      .reduce((sum, m) => sum + m.impactCents, 0);
    const rest = c.differenceCents - explained;
    if (rest !== 0)
      push({
        kind: 'unexplained',
        reason: 'balance',
        entity: 'Customer',
        customer: { qboId: c.qboId, sourceId: c.sourceId, name: c.name },
        qboId: c.qboId,
        sourceId: c.sourceId,
        amountCents: rest,
        impactCents: rest,
        explanation:
          `Customer ${c.name ?? c.sourceId} owes ${money(c.quickbooksCents)} in QuickBooks and ${money(c.sourceCents)} ` +
          `by the source documents; ${money(rest)} of the difference is not explained by any record above.`,
        fix: "Trace the customer's transactions in QuickBooks (credit memos, journal entries, refunds) with a bookkeeper.",
        actions: [],
      });
    if (c.declaredCents !== undefined && c.declaredCents !== c.sourceCents)
      push({
        id: `unexplained:declared:${c.sourceId}`,
        kind: 'unexplained',
        reason: 'declared_differs',
        entity: 'Customer',
        customer: { qboId: c.qboId, sourceId: c.sourceId, name: c.name },
        sourceId: c.sourceId,
        amountCents: c.declaredCents - c.sourceCents,
        impactCents: 0,
        explanation:
          `The source app declares customer ${c.sourceId} owes ${money(c.declaredCents)}, but the documents it ` +
          `sent to qbo-sync add up to ${money(c.sourceCents)}: a document or payment was not sent.`,
        fix: 'Send the missing documents (POST /v1/syncs); QuickBooks is not changed for this one.',
        actions: [],
      });
  }

  const byKind = Object.fromEntries(mismatchKinds.map((k) => [k, 0])) as Record<MismatchKind, number>;
  for (const m of mismatches) byKind[m.kind]++;
  const sum = (f: (c: CustomerBalance) => number) => customers.reduce((s, c) => s + f(c), 0);
  return {
    totals: {
      customers: customers.length,
      customersMismatched: customers.filter((c) => c.differenceCents !== 0).length,
      invoices: qbo.Invoice.size,
      payments: qbo.Payment.size,
      sourceDocuments: documents.length,
      invoicesWithoutDocument,
      quickbooksCents: sum((c) => c.quickbooksCents),
      sourceCents: sum((c) => c.sourceCents),
      differenceCents: sum((c) => c.differenceCents),
      unexplainedCents: mismatches
        .filter((m) => m.kind === 'unexplained' && m.reason === 'balance')
        .reduce((s, m) => s + m.amountCents, 0),
      byKind,
    },
    customers,
    mismatches,
  };
}

/** A payment entered in QuickBooks directly may be a source payment never synced: offer to link the two. */
function offerLinks(mismatches: Mismatch[]): void {
  const unsynced = mismatches.filter((m) => m.kind === 'not_synced' && m.entity === 'Payment');
  const taken = new Set<string>();
  for (const m of mismatches) {
    if (m.kind !== 'entered_in_quickbooks' || m.entity !== 'Payment') continue;
    const same = unsynced.find(
      (u) =>
        !taken.has(u.sourceId!) && u.customer.qboId === m.customer.qboId && u.amountCents === m.amountCents,
    );
    if (!same) continue;
    taken.add(same.sourceId!);
    m.fix = `It looks like source payment ${same.sourceId} (same customer and amount): link them. ${m.fix}`;
    m.actions.push({
      kind: 'link',
      label: `Link to ${same.sourceId}`,
      target: { entity: 'Payment', qboId: m.qboId, sourceId: same.sourceId },
    });
  }
}

function balances(
  input: ReconcileInput,
  expected: Map<string, number>,
  customerSource: Map<string, string>,
  qboCustomers: Map<string, QboRecord>,
): CustomerBalance[] {
  const declared = new Map(input.declared.map((d) => [d.customerSourceId, cents(d.balance)]));
  const out: CustomerBalance[] = [];
  for (const [qboId, sourceId] of customerSource) {
    const record = qboCustomers.get(qboId);
    const quickbooksCents = cents(record?.Balance);
    const sourceCents = expected.get(qboId) ?? 0;
    out.push({
      sourceId,
      qboId,
      name: str(record?.DisplayName),
      quickbooksCents,
      sourceCents,
      ...(declared.has(sourceId) ? { declaredCents: declared.get(sourceId) } : {}),
      differenceCents: quickbooksCents - sourceCents,
    });
  }
  return out;
}

function indexLinks(links: Link[]) {
  const by = (type: string) =>
    new Map(links.filter((l) => l.entityType === type).map((l) => [l.sourceId, l]));
  return { Customer: by('Customer'), Invoice: by('Invoice'), Payment: by('Payment') };
}

/** QuickBooks id → the link that claims it (a live link wins over a voided one). */
function claimedIds(links: Link[], entity: Entity): Map<string, Link> {
  const out = new Map<string, Link>();
  for (const l of links) {
    if (l.entityType !== entity || !l.qboId) continue;
    if (l.status === 'linked' || !out.has(l.qboId)) out.set(l.qboId, l);
  }
  return out;
}

/** The source id in a `qbo-sync:<sourceId>` marker, if the note carries one. */
function markerSourceId(note: unknown): string | undefined {
  if (!hasAnyMarker(note)) return undefined;
  const prefix = markerFor('');
  return String(note)
    .split(/\s+/)
    .find((w) => w.startsWith(prefix))!
    .slice(prefix.length);
}

function salesSubtotal(record: QboRecord): number {
  const lines = (record.Line ?? []) as { DetailType?: string; Amount?: number }[];
  return lines.filter((l) => l.DetailType === 'SalesItemLineDetail').reduce((s, l) => s + cents(l.Amount), 0);
}

function resync(invoiceSourceId: string) {
  return { kind: 'resync' as const, label: 'Re-sync', target: { invoiceSourceId } };
}

function voidIt(entity: Entity, qboId: string) {
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

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
