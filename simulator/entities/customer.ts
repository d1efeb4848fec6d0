import { homeCurrency } from '../company-seed';
import { faults } from '../qbo-error';
import type { QboObject } from '../state';
import { liveRecords, normalizeName } from './records';
import { resolveRef } from './references';
import { enforceMaxLength, rejectForbiddenNameCharacters } from './text-rules';
import type { EntityRules } from './write-context';

const NAME_PARTS = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'];
const LENGTHS: Record<string, number> = {
  DisplayName: 500,
  GivenName: 100,
  MiddleName: 100,
  FamilyName: 100,
  Title: 16,
  Suffix: 16,
  CompanyName: 100,
  PrintOnCheckName: 110,
  Notes: 2000,
};

/** Customer rules: name characters, lengths, unique DisplayName, optional parent for jobs. */
export const customerRules: EntityRules = {
  transaction: false,
  normalize(ctx, input, existing) {
    const data: QboObject = { ...input };
    rejectForbiddenNameCharacters(data, ['DisplayName', ...NAME_PARTS, 'PrintOnCheckName']);
    for (const [field, max] of Object.entries(LENGTHS)) enforceMaxLength(data[field], field, max);
    if (!data.DisplayName || !String(data.DisplayName).trim()) {
      const composed = NAME_PARTS.map((p) => data[p])
        .filter((v) => typeof v === 'string' && v.trim())
        .join(' ');
      if (!composed) throw faults.noNameProvided();
      data.DisplayName = composed;
    }
    const wanted = normalizeName(data.DisplayName);
    const clash = liveRecords(ctx.company, 'Customer').find(
      (r) => r.data.Id !== existing?.data.Id && normalizeName(r.data.DisplayName) === wanted,
    );
    if (clash)
      throw faults.duplicateName(
        'Another customer, vendor or employee is already using this name. Please use a different name.',
      );
    let fullyQualified = String(data.DisplayName);
    if (data.ParentRef) {
      const parent = resolveRef(ctx.company, 'Customer', data.ParentRef, 'ParentRef');
      fullyQualified = `${parent.data.FullyQualifiedName}:${fullyQualified}`;
      data.Job = true;
    }
    return {
      Active: true,
      Taxable: ctx.company.country === 'US' ? true : undefined,
      CurrencyRef: { value: homeCurrency(ctx.company.country) },
      PreferredDeliveryMethod: 'Print',
      ...data,
      FullyQualifiedName: fullyQualified,
      Balance: existing?.data.Balance ?? 0,
      BalanceWithJobs: existing?.data.BalanceWithJobs ?? 0,
    };
  },
};
