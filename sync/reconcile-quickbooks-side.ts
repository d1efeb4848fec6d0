import type { Link } from '../db/queries/links';
import type { StoredDocument } from '../db/queries/source-documents';
import { isVoided } from './markers';
import {
  cents,
  claimedIds,
  markerSourceId,
  money,
  str,
  voidIt,
  type ExplainContext,
} from './reconcile-context';
import type { SourcePayments } from './reconcile-source-side';

/**
 * QuickBooks' side: invoices and payments of our customers that no source record accounts for —
 * duplicates (two records, our marker unlinked, a lost void) and records entered in QuickBooks directly.
 * Returns how many linked invoices have no stored document (QuickBooks' word is taken for them).
 */
export function explainQuickbooksSide(
  ctx: ExplainContext,
  links: Link[],
  documents: StoredDocument[],
  sourcePayments: SourcePayments,
): number {
  const { qbo, linkOf, customerSource, add, push, customerOf } = ctx;
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
  return invoicesWithoutDocument;
}
