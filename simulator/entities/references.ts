import { faults } from '../qbo-error';
import type { Company, EntityName, StoredRecord } from '../state';
import { findRecord } from './records';

/** The id inside a `{ value, name }` reference, if any. */
export function refId(ref: unknown): string | undefined {
  if (
    ref &&
    typeof ref === 'object' &&
    'value' in ref &&
    (ref as { value: unknown }).value !== undefined &&
    (ref as { value: unknown }).value !== ''
  ) {
    return String((ref as { value: unknown }).value);
  }
  return undefined;
}

/**
 * Resolves a reference to a live, active record.
 * Throws 2500 Invalid Reference Id for unknown or deleted ids and 610 Object Not Found for inactive ones.
 */
export function resolveRef(
  company: Company,
  entity: EntityName,
  ref: unknown,
  element: string,
): StoredRecord {
  const id = refId(ref);
  const record = findRecord(company, entity, id);
  if (!record || record.deleted || id === undefined) throw faults.invalidReference(element);
  if (record.data.Active === false) throw faults.inactiveReference(element);
  return record;
}

/** Builds the `{ value, name }` QuickBooks returns for a resolved reference. */
export function refTo(record: StoredRecord, nameField = 'Name'): { value: string; name?: string } {
  const name = record.data[nameField] ?? record.data.DisplayName;
  return name === undefined ? { value: record.data.Id } : { value: record.data.Id, name: String(name) };
}
