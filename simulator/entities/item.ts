import { faults } from '../qbo-error';
import type { QboObject } from '../state';
import { liveRecords, normalizeName } from './records';
import { refTo, resolveRef } from './references';
import { enforceMaxLength, rejectForbiddenNameCharacters } from './text-rules';
import type { EntityRules } from './write-context';

const TYPES = ['Service', 'NonInventory', 'Inventory'];

/** Item rules: Type required, account references per type, unique Name. */
export const itemRules: EntityRules = {
  transaction: false,
  normalize(ctx, input, existing) {
    const data: QboObject = { ...input };
    if (!data.Name || !String(data.Name).trim()) throw faults.requiredMissing('Name');
    rejectForbiddenNameCharacters(data, ['Name']);
    enforceMaxLength(data.Name, 'Name', 100);
    enforceMaxLength(data.Sku, 'Sku', 100);
    if (!data.Type) throw faults.requiredMissing('Type');
    if (!TYPES.includes(data.Type)) throw faults.invalidEnumeration(String(data.Type), 'Type');
    const wanted = normalizeName(data.Name);
    const clash = liveRecords(ctx.company, 'Item').find(
      (r) => r.data.Id !== existing?.data.Id && normalizeName(r.data.Name) === wanted,
    );
    if (clash)
      throw faults.duplicateName(
        'Another product or service is already using this name. Please use a different name.',
        'Name',
      );
    if (!data.IncomeAccountRef) throw faults.requiredMissing('IncomeAccountRef');
    data.IncomeAccountRef = refTo(
      resolveRef(ctx.company, 'Account', data.IncomeAccountRef, 'IncomeAccountRef'),
    );
    if (data.ExpenseAccountRef)
      data.ExpenseAccountRef = refTo(
        resolveRef(ctx.company, 'Account', data.ExpenseAccountRef, 'ExpenseAccountRef'),
      );
    if (data.Type === 'Inventory') {
      if (data.TrackQtyOnHand !== true) {
        throw faults.businessValidation(
          'When you create an item, if Track quantity on hand is turned off, the item cannot be of type Inventory.',
          'TrackQtyOnHand',
        );
      }
      if (!data.AssetAccountRef) throw faults.requiredMissing('AssetAccountRef');
      data.AssetAccountRef = refTo(
        resolveRef(ctx.company, 'Account', data.AssetAccountRef, 'AssetAccountRef'),
      );
      if (!data.InvStartDate) throw faults.requiredMissing('InvStartDate');
      if (data.QtyOnHand === undefined || data.QtyOnHand === null) throw faults.requiredMissing('QtyOnHand');
    } else if (existing?.data.TrackQtyOnHand === true && data.TrackQtyOnHand === false) {
      throw faults.businessValidation(
        'Track quantity on hand cannot be turned off once it is on.',
        'TrackQtyOnHand',
      );
    }
    return {
      Active: true,
      UnitPrice: 0,
      Taxable: false,
      TrackQtyOnHand: false,
      ...data,
      FullyQualifiedName: data.Name,
    };
  },
};
