import { qboDate } from '../clock';
import { homeCurrency } from '../company-seed';
import { faults } from '../qbo-error';
import type { Company, QboObject } from '../state';
import { liveRecords } from './records';
import { refTo, resolveRef } from './references';
import { checkGlobalTaxCalculation, lineTax, normalizeLineTaxCode } from './tax-lines';
import { enforceMaxLength, roundMoney, toNumber } from './text-rules';
import type { EntityRules, WriteContext } from './write-context';

const FIRST_AUTO_DOC_NUMBER = 1001;

function nextDocNumber(company: Company): string {
  const numbers = liveRecords(company, 'Invoice')
    .map((r) => Number(r.data.DocNumber))
    .filter(Number.isInteger);
  return String(Math.max(FIRST_AUTO_DOC_NUMBER - 1, ...numbers) + 1);
}

function checkDocNumber(ctx: WriteContext, docNumber: string, selfId: string | undefined): void {
  enforceMaxLength(docNumber, 'DocNumber', 21);
  if (!ctx.company.prefs.customTxnNumbers || ctx.includes.has('allowduplicatedocnum')) return;
  const clash = liveRecords(ctx.company, 'Invoice').find(
    (r) => !r.voided && r.data.Id !== selfId && r.data.DocNumber === docNumber,
  );
  if (clash) throw faults.duplicateDocNumber(docNumber, clash.data.Id);
}

interface LineTotals {
  lines: QboObject[];
  subtotal: number;
  discount: number;
  tax: number;
}

function normalizeLines(ctx: WriteContext, input: unknown[], calculation: unknown): LineTotals {
  const totals: LineTotals = { lines: [], subtotal: 0, discount: 0, tax: 0 };
  for (const raw of input) {
    const line: QboObject = { ...(raw as QboObject) };
    if (!line.DetailType) throw faults.requiredMissing('Line.DetailType');
    if (line.DetailType === 'SubTotalLineDetail') continue;
    const amount = toNumber(line.Amount);
    if (line.DetailType === 'SalesItemLineDetail') {
      if (!line.SalesItemLineDetail) throw faults.requiredMissing('Line.SalesItemLineDetail');
      if (amount === undefined) throw faults.requiredMissing('Line.Amount');
      const detail: QboObject = { ...line.SalesItemLineDetail };
      line.SalesItemLineDetail = detail;
      // A line without ItemRef is documentation only: QuickBooks ignores its Amount.
      if (detail.ItemRef) {
        detail.ItemRef = refTo(
          resolveRef(ctx.company, 'Item', detail.ItemRef, 'Line.SalesItemLineDetail.ItemRef'),
        );
        const qty = toNumber(detail.Qty);
        const unitPrice = toNumber(detail.UnitPrice);
        if (
          qty !== undefined &&
          unitPrice !== undefined &&
          roundMoney(qty * unitPrice) !== roundMoney(amount)
        ) {
          throw faults.amountCalculation(line.Amount);
        }
        normalizeLineTaxCode(ctx.company, detail);
        totals.subtotal += amount;
        totals.tax += lineTax(ctx.company, detail, amount, calculation);
      }
      line.Amount = roundMoney(amount);
    } else if (line.DetailType === 'DiscountLineDetail') {
      if (amount === undefined) throw faults.requiredMissing('Line.Amount');
      totals.discount += amount;
    } else if (line.DetailType !== 'DescriptionOnly') {
      throw faults.invalidEnumeration(String(line.DetailType), 'Line.DetailType');
    }
    totals.lines.push({ ...line, Id: String(totals.lines.length + 1), LineNum: totals.lines.length + 1 });
  }
  return totals;
}

/** Invoice rules: CustomerRef and Line required, line maths and tax codes, DocNumber length and uniqueness. */
export const invoiceRules: EntityRules = {
  transaction: true,
  normalize(ctx, input, existing) {
    const data: QboObject = { ...input };
    if (!data.CustomerRef) throw faults.requiredMissing('CustomerRef');
    data.CustomerRef = refTo(
      resolveRef(ctx.company, 'Customer', data.CustomerRef, 'CustomerRef'),
      'DisplayName',
    );
    if (!Array.isArray(data.Line) || data.Line.length === 0) throw faults.requiredMissing('Line');
    checkGlobalTaxCalculation(ctx.company, data);
    enforceMaxLength(data.PrivateNote, 'PrivateNote', 4000);
    const totals = normalizeLines(ctx, data.Line, data.GlobalTaxCalculation);
    if (data.DocNumber === undefined || data.DocNumber === null || data.DocNumber === '') {
      data.DocNumber = existing?.data.DocNumber ?? nextDocNumber(ctx.company);
    } else {
      data.DocNumber = String(data.DocNumber);
    }
    checkDocNumber(ctx, data.DocNumber, existing?.data.Id);
    const subtotal = roundMoney(totals.subtotal);
    const tax = roundMoney(totals.tax);
    const total = roundMoney(subtotal - totals.discount + tax);
    const txnDate = data.TxnDate ?? qboDate(ctx.now);
    return {
      DueDate: txnDate,
      CurrencyRef: { value: homeCurrency(ctx.company.country) },
      ...data,
      TxnDate: txnDate,
      Line: [...totals.lines, { Amount: subtotal, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }],
      TxnTaxDetail: { TotalTax: tax },
      TotalAmt: total,
      Balance: total,
      LinkedTxn: [],
    };
  },
  voided(data) {
    return {
      ...data,
      Line: (data.Line as QboObject[]).map((line) => ({
        ...line,
        Amount: 0,
        ...(line.SalesItemLineDetail
          ? { SalesItemLineDetail: { ...line.SalesItemLineDetail, Qty: 0, UnitPrice: 0 } }
          : {}),
      })),
      TxnTaxDetail: { TotalTax: 0 },
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: data.PrivateNote ? `Voided - ${data.PrivateNote}` : 'Voided',
    };
  },
};
