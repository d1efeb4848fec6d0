import { qboDate } from '../clock';
import { homeCurrency, seededAccountId } from '../company-seed';
import { faults } from '../qbo-error';
import type { QboObject, StoredRecord } from '../state';
import { findRecord } from './records';
import { refTo, resolveRef } from './references';
import { roundMoney, toNumber } from './text-rules';
import type { EntityRules, WriteContext } from './write-context';

/** What `existing` had applied to each invoice, so an update can re-use that room. */
function previousApplication(existing: StoredRecord | undefined): Map<string, number> {
  const applied = new Map<string, number>();
  if (!existing || existing.voided) return applied;
  for (const line of existing.data.Line ?? []) {
    const id = line.LinkedTxn?.[0]?.TxnId;
    if (id !== undefined) applied.set(String(id), (applied.get(String(id)) ?? 0) + Number(line.Amount ?? 0));
  }
  return applied;
}

function normalizeLine(
  ctx: WriteContext,
  raw: QboObject,
  customerId: string,
  room: Map<string, number>,
): QboObject {
  const line: QboObject = { ...raw };
  const amount = toNumber(line.Amount);
  if (amount === undefined) throw faults.requiredMissing('Line.Amount');
  const links: QboObject[] = Array.isArray(line.LinkedTxn) ? line.LinkedTxn : [];
  if (links.length === 0) throw faults.requiredMissing('Line.LinkedTxn');
  let applied = amount;
  for (const link of links) {
    if (link.TxnType !== 'Invoice')
      throw faults.invalidEnumeration(String(link.TxnType), 'Line.LinkedTxn.TxnType');
    const invoice = findRecord(ctx.company, 'Invoice', link.TxnId);
    if (!invoice || invoice.deleted || invoice.voided) throw faults.invalidReference('Line.LinkedTxn.TxnId');
    if (String(invoice.data.CustomerRef?.value) !== customerId) throw faults.txnCannotBeLinked();
    // QuickBooks applies at most the open balance; the rest of the payment stays unapplied.
    const open = Number(invoice.data.Balance ?? 0) + (room.get(String(link.TxnId)) ?? 0);
    applied = Math.min(applied, roundMoney(open));
    room.set(String(link.TxnId), 0);
  }
  return {
    ...line,
    Amount: roundMoney(Math.max(applied, 0)),
    LinkedTxn: links.map((l) => ({ TxnId: String(l.TxnId), TxnType: 'Invoice' })),
  };
}

/** Payment rules: TotalAmt and CustomerRef required, links to the same customer's invoices, default deposit account. */
export const paymentRules: EntityRules = {
  transaction: true,
  normalize(ctx, input, existing) {
    const data: QboObject = { ...input };
    const total = toNumber(data.TotalAmt);
    if (total === undefined) throw faults.requiredMissing('TotalAmt');
    if (!data.CustomerRef) throw faults.requiredMissing('CustomerRef');
    const customer = resolveRef(ctx.company, 'Customer', data.CustomerRef, 'CustomerRef');
    data.CustomerRef = refTo(customer, 'DisplayName');
    const deposit = data.DepositToAccountRef ?? { value: seededAccountId(ctx.company, 'Undeposited Funds') };
    data.DepositToAccountRef = refTo(resolveRef(ctx.company, 'Account', deposit, 'DepositToAccountRef'));
    const room = previousApplication(existing);
    const lines = (Array.isArray(data.Line) ? data.Line : []).map((l: QboObject) =>
      normalizeLine(ctx, l, customer.data.Id, room),
    );
    const applied = roundMoney(lines.reduce((sum: number, l: QboObject) => sum + l.Amount, 0));
    if (applied > roundMoney(total)) {
      throw faults.businessValidation(
        'The amount received must be greater than or equal to the amount applied to invoices.',
        'TotalAmt',
      );
    }
    return {
      CurrencyRef: { value: homeCurrency(ctx.company.country) },
      ProcessPayment: false,
      ...data,
      TxnDate: data.TxnDate ?? qboDate(ctx.now),
      TotalAmt: roundMoney(total),
      Line: lines,
      UnappliedAmt: roundMoney(total - applied),
    };
  },
  voided(data) {
    return {
      ...data,
      TotalAmt: 0,
      UnappliedAmt: 0,
      Line: (data.Line as QboObject[]).map((l) => ({ ...l, Amount: 0 })),
      PrivateNote: data.PrivateNote ? `Voided - ${data.PrivateNote}` : 'Voided',
    };
  },
};
