import type { z } from 'zod';
import { desktopTimestamp } from './desktop-clock';
import { touch } from './company-file/company-file';
import { newListId, nextEditSequence } from './company-file/ids';
import { findByRef } from './company-file/references';
import type { CompanyFile, NameKind } from './company-file/records';
import type { directAddBodies, directEditBodies } from './control-schemas';

/** A bad direct edit: which field and why (the route turns it into a 400). */
export class DirectEditError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function stamp(file: CompanyFile, nowMs: number) {
  const at = desktopTimestamp(nowMs);
  return {
    ListID: newListId(file, nowMs),
    TimeCreated: at,
    TimeModified: at,
    EditSequence: nextEditSequence(file, nowMs),
  };
}

/** A name typed in by a person: no uniqueness check, so tests can plant the collisions Desktop's UI would warn on. */
export function addName(
  file: CompanyFile,
  kind: NameKind,
  body: z.infer<typeof directAddBodies.names>,
  nowMs: number,
) {
  const record = { kind, ...stamp(file, nowMs), ...body, IsActive: body.IsActive ?? true };
  file.names.set(record.ListID, record);
  return record;
}

export function addAccount(file: CompanyFile, body: z.infer<typeof directAddBodies.accounts>, nowMs: number) {
  const record = {
    kind: 'Account' as const,
    ...stamp(file, nowMs),
    Name: body.Name,
    AccountType: body.AccountType ?? 'Income',
    IsActive: true,
  };
  file.accounts.set(record.ListID, record);
  return record;
}

export function addItem(file: CompanyFile, body: z.infer<typeof directAddBodies.items>, nowMs: number) {
  const account = findByRef(file.accounts.values(), undefined, body.Account ?? 'Services');
  if (!account) throw new DirectEditError('Account', `no account named "${body.Account}"`);
  const record = {
    kind: body.Type === 'NonInventory' ? ('ItemNonInventory' as const) : ('ItemService' as const),
    ...stamp(file, nowMs),
    Name: body.Name,
    IsActive: body.IsActive ?? true,
    Desc: body.Desc,
    Price: body.Price,
    AccountRef: { ListID: account.ListID, FullName: account.Name },
  };
  file.items.set(record.ListID, record);
  return record;
}

/** Applies a person's edit to any record: the fields given, then a new EditSequence and TimeModified. */
export function editRecord(
  file: CompanyFile,
  record: { EditSequence: string; TimeModified: string },
  patch: z.infer<(typeof directEditBodies)[keyof typeof directEditBodies]>,
  nowMs: number,
): void {
  Object.assign(record, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
  touch(file, record, nowMs);
}
