import { child, text, type Element } from './qbxml-request';
import { invalidReference, type QbStatus } from './status';
import type { Ref } from './records';

interface Named {
  ListID: string;
  Name: string;
  IsActive: boolean;
}

/** Finds a record by ListID, else by FullName (case-insensitive, as Desktop compares names). */
export function findByRef<T extends Named>(records: Iterable<T>, listId?: string, fullName?: string) {
  const all = [...records];
  if (listId !== undefined) return all.find((r) => r.ListID === listId);
  if (fullName === undefined) return undefined;
  const wanted = fullName.toLowerCase();
  return all.find((r) => r.Name.toLowerCase() === wanted);
}

/**
 * Resolves a `…Ref` child (`ListID` and/or `FullName`; ListID wins when both are given). A missing or
 * inactive target gives 3140 naming the list and the place of the reference, as Desktop reports it.
 */
export function resolveRef<T extends Named>(
  parent: Element,
  refName: string,
  records: Iterable<T>,
  listName: string,
  where: string,
): { record?: T; ref?: Ref; status?: QbStatus } {
  const element = child(parent, refName);
  if (!element) return {};
  const listId = text(element, 'ListID');
  const fullName = text(element, 'FullName');
  const record = findByRef(records, listId, fullName);
  const shown = fullName ?? listId ?? '';
  if (!record) return { status: invalidReference(listName, shown, where, false) };
  if (!record.IsActive) return { status: invalidReference(listName, shown, where, true) };
  return { record, ref: { ListID: record.ListID, FullName: record.Name } };
}

/** True when another record of the same name space already has this name (case-insensitive). */
export function nameTaken(records: Iterable<Named>, name: string, exceptListId?: string): boolean {
  const wanted = name.toLowerCase();
  for (const r of records) if (r.ListID !== exceptListId && r.Name.toLowerCase() === wanted) return true;
  return false;
}
