import { desktopTimestamp } from '../desktop-clock';
import { touch } from './company-file';
import { failed, type RequestHandler } from './handler';
import { newListId, nextEditSequence } from './ids';
import { runListQuery } from './list-query';
import { child, requiredText, text, type Element } from './qbxml-request';
import { parseBool } from './qbxml-values';
import { nameTaken } from './references';
import type { NameRecord } from './records';
import { nameInUse, objectNotFound, staleEditSequence, STATUS_OK } from './status';
import { nameRet } from './rets';

const CONTACT_FIELDS = ['CompanyName', 'FirstName', 'LastName', 'Phone', 'Email'] as const;

function address(element: Element | undefined): Record<string, string> | undefined {
  if (!element) return undefined;
  const lines = ['Addr1', 'Addr2', 'Addr3', 'City', 'State', 'PostalCode', 'Country'];
  return Object.fromEntries(lines.flatMap((l) => (text(element, l) ? [[l, text(element, l)!]] : [])));
}

function applyContact(customer: NameRecord, body: Element): void {
  for (const field of CONTACT_FIELDS) {
    const value = text(body, field);
    if (value !== undefined) customer[field] = value;
  }
  const bill = address(child(body, 'BillAddress'));
  if (bill) customer.BillAddress = bill;
}

/** CustomerAdd: a new customer; its name must be free among customers, vendors, employees and other names. */
export const customerAdd: RequestHandler = ({ file, nowMs }, rq) => {
  const body = child(rq.body, 'CustomerAdd') ?? {};
  const name = requiredText(body, 'Name', 'CustomerAdd');
  const isActive = parseBool(text(body, 'IsActive'), 'IsActive') ?? true;
  if (nameTaken(file.names.values(), name)) return failed(nameInUse(name));
  const at = desktopTimestamp(nowMs);
  const customer: NameRecord = {
    kind: 'Customer',
    ListID: newListId(file, nowMs),
    TimeCreated: at,
    TimeModified: at,
    EditSequence: nextEditSequence(file, nowMs),
    Name: name,
    IsActive: isActive,
  };
  applyContact(customer, body);
  file.names.set(customer.ListID, customer);
  return { status: STATUS_OK, rets: [{ tag: 'CustomerRet', value: nameRet(file, customer) }] };
};

/** CustomerMod: the ListID and the current EditSequence, then only the fields sent change. */
export const customerMod: RequestHandler = ({ file, nowMs }, rq) => {
  const body = child(rq.body, 'CustomerMod') ?? {};
  const listId = requiredText(body, 'ListID', 'CustomerMod');
  const editSequence = requiredText(body, 'EditSequence', 'CustomerMod');
  const name = text(body, 'Name');
  const isActive = parseBool(text(body, 'IsActive'), 'IsActive');
  const customer = file.names.get(listId);
  if (!customer || customer.kind !== 'Customer') return failed(objectNotFound(listId));
  if (customer.EditSequence !== editSequence) return failed(staleEditSequence(editSequence));
  if (name !== undefined && nameTaken(file.names.values(), name, listId)) return failed(nameInUse(name));
  if (name !== undefined) customer.Name = name;
  if (isActive !== undefined) customer.IsActive = isActive;
  applyContact(customer, body);
  touch(file, customer, nowMs);
  return { status: STATUS_OK, rets: [{ tag: 'CustomerRet', value: nameRet(file, customer) }] };
};

export const customerQuery: RequestHandler = ({ file }, rq) =>
  runListQuery(
    rq.body,
    [...file.names.values()].filter((n) => n.kind === 'Customer'),
    (c) => ({ tag: 'CustomerRet', value: nameRet(file, c) }),
  );
