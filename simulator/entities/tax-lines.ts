import { faults } from '../qbo-error';
import type { Company, QboObject } from '../state';
import { findRecord } from './records';
import { refTo, resolveRef } from './references';

const RATE_TEXT: Record<string, string> = {
  GB: 'Make sure all your transactions have a VAT rate before you save.',
  CA: 'Make sure all your transactions have a GST/HST rate before you save.',
  AU: 'Make sure all your transactions have a GST rate before you save.',
};
const GLOBAL_TAX_CALCULATIONS = ['TaxExcluded', 'TaxInclusive', 'NotApplicable'];

/** Non-US companies must say how tax is calculated on every transaction (2020 / 2170 otherwise). */
export function checkGlobalTaxCalculation(company: Company, data: QboObject): void {
  if (company.country === 'US') return;
  if (!data.GlobalTaxCalculation) throw faults.requiredMissing('GlobalTaxCalculation');
  if (!GLOBAL_TAX_CALCULATIONS.includes(data.GlobalTaxCalculation)) {
    throw faults.invalidEnumeration(String(data.GlobalTaxCalculation), 'GlobalTaxCalculation');
  }
}

/**
 * Checks and completes a sales line's TaxCodeRef: TAX/NON in the US (6100 otherwise, NON by default),
 * a real tax code elsewhere (6000 with the country's rate text when missing).
 */
export function normalizeLineTaxCode(company: Company, detail: QboObject): void {
  const element = 'Line.SalesItemLineDetail.TaxCodeRef';
  if (company.country === 'US') {
    const value = detail.TaxCodeRef?.value;
    if (value === undefined) {
      detail.TaxCodeRef = { value: 'NON' };
    } else if (value !== 'TAX' && value !== 'NON') {
      throw faults.usLineTaxCode(String(value));
    }
    return;
  }
  if (!detail.TaxCodeRef?.value) throw faults.businessValidation(RATE_TEXT[company.country], element);
  detail.TaxCodeRef = refTo(resolveRef(company, 'TaxCode', detail.TaxCodeRef, element));
}

/** Tax added on top of a line under TaxExcluded, from the tax code's first sales rate. */
export function lineTax(company: Company, detail: QboObject, amount: number, calculation: unknown): number {
  if (company.country === 'US' || calculation !== 'TaxExcluded') return 0;
  const code = findRecord(company, 'TaxCode', detail.TaxCodeRef?.value);
  const rateId = code?.data.SalesTaxRateList?.TaxRateDetail?.[0]?.TaxRateRef?.value;
  const rate = Number(findRecord(company, 'TaxRate', rateId)?.data.RateValue ?? 0);
  return (amount * rate) / 100;
}
