import { faults } from '../qbo-error';
import { liveRecords, normalizeName } from './records';
import { rejectForbiddenNameCharacters, enforceMaxLength } from './text-rules';
import type { EntityRules } from './write-context';

/** Account rules: Name required and unique, a type or subtype required. */
export const accountRules: EntityRules = {
  transaction: false,
  normalize(ctx, data, existing) {
    if (!data.Name || !String(data.Name).trim()) throw faults.requiredMissing('Name');
    rejectForbiddenNameCharacters(data, ['Name']);
    enforceMaxLength(data.Name, 'Name', 100);
    if (!data.AccountType && !data.AccountSubType) throw faults.invalidAccountType();
    const wanted = normalizeName(data.Name);
    if (
      liveRecords(ctx.company, 'Account').some(
        (r) => r.data.Id !== existing?.data.Id && normalizeName(r.data.Name) === wanted,
      )
    ) {
      throw faults.duplicateName(
        'Another account is already using this name. Please use a different name.',
        'Name',
      );
    }
    return { Active: true, SubAccount: false, CurrentBalance: 0, ...data, FullyQualifiedName: data.Name };
  },
};
