import { listMappings } from '../db/queries/mappings';
import type { LineDoc } from '../workflows/contract';
import type { SyncDeps } from './sync-deps';
import { localFault } from '../quickbooks/faults';
import { builtInTaxCodes } from './tax-codes';

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

/**
 * The invoice's SalesItemLines: item refs from `itemQboIds`, tax codes from the company's
 * `tax_category` mappings (else TAX/NON for taxable/exempt; no category → no TaxCodeRef).
 * Throws tax_mismatch for a category with no mapping and invalid_field for an item without a QuickBooks id.
 */
export async function salesLines(
  deps: SyncDeps,
  realmId: string,
  lines: LineDoc[],
  itemQboIds: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const needsTax = lines.some((l) => l.taxCategory);
  const mapped = needsTax ? await listMappings(deps.db, realmId, 'tax_category') : [];
  return lines.map((line) => {
    const itemId = itemQboIds[line.item.sourceId];
    if (!itemId) {
      throw localFault(
        'invalid_field',
        `Item ${line.item.sourceId} has no QuickBooks id`,
        'The item step did not link this item.',
      );
    }
    let taxCode: string | undefined;
    if (line.taxCategory) {
      taxCode =
        mapped.find((m) => m.sourceKey === line.taxCategory)?.qboId ??
        builtInTaxCodes[line.taxCategory.toLowerCase()];
      if (!taxCode) {
        throw localFault(
          'tax_mismatch',
          `Tax category "${line.taxCategory}" has no QuickBooks tax code`,
          '',
          `Map the tax category "${line.taxCategory}" to a QuickBooks tax code for this company (mappings: tax_category), then retry.`,
        );
      }
    }
    // QuickBooks checks Amount = Qty × UnitPrice (6070): use the item price when it agrees.
    const qty = line.quantity;
    const unitPrice =
      qty && round(qty * line.item.unitPrice, 2) === round(line.amount, 2)
        ? line.item.unitPrice
        : qty
          ? round(line.amount / qty, 7)
          : line.amount;
    return {
      DetailType: 'SalesItemLineDetail',
      Amount: line.amount,
      Description: line.description ?? line.item.description,
      SalesItemLineDetail: {
        ItemRef: { value: itemId },
        Qty: qty,
        UnitPrice: unitPrice,
        ...(taxCode ? { TaxCodeRef: { value: taxCode } } : {}),
      },
    };
  });
}
