/**
 * The one home for the statuses the company file answers with: code, severity and message exactly as Desktop
 * writes them (two spaces before "QuickBooks error message:" and between its sentences, as in captured responses).
 * Sources per status in simulator/README.md.
 */
export interface QbStatus {
  statusCode: number;
  statusSeverity: 'Info' | 'Warn' | 'Error';
  statusMessage: string;
}

const error = (statusCode: number, statusMessage: string): QbStatus => ({
  statusCode,
  statusSeverity: 'Error',
  statusMessage,
});

export const STATUS_OK: QbStatus = { statusCode: 0, statusSeverity: 'Info', statusMessage: 'Status OK' };

/** A query with filters that matched nothing. */
export const NO_MATCH: QbStatus = {
  statusCode: 1,
  statusSeverity: 'Info',
  statusMessage: 'A query request did not find a matching object in QuickBooks',
};

/** A query naming a FullName (or RefNumber) that does not exist. */
export const elementNotFound = (value: string): QbStatus => ({
  statusCode: 500,
  statusSeverity: 'Warn',
  statusMessage: `The query request has not been fully completed. There was a required element ("${value}") that could not be found in QuickBooks.`,
});

const NOT_IN_LIST =
  'QuickBooks error message: Invalid argument.  The specified record does not exist in the list.';

export const nameInUse = (name: string) =>
  error(3100, `The name "${name}" of the list element is already in use.`);

/** A ListID/TxnID (in a query, a Mod or an AppliedToTxnAdd) that names nothing. */
export const objectNotFound = (id: string) =>
  error(3120, `Object "${id}" specified in the request cannot be found.  ${NOT_IN_LIST}`);

/** A reference (CustomerRef, ItemRef, AccountRef…) to a record that is missing or inactive. */
export const invalidReference = (listName: string, value: string, where: string, inactive: boolean) =>
  error(
    3140,
    `There is an invalid reference to QuickBooks ${listName} "${value}" in the ${where}.  ${
      inactive ? 'QuickBooks error message: This list element is inactive.' : NOT_IN_LIST
    }`,
  );

export const staleEditSequence = (editSequence: string) =>
  error(3200, `The provided edit sequence "${editSequence}" is out-of-date.`);

/** An invalid field value; `reason` is QuickBooks' own message. */
export const invalidValue = (field: string, value: string, reason: string) =>
  error(3210, `The "${field}" field has an invalid value "${value}".  QuickBooks error message: ${reason}`);

/** A transaction dated on or before the closing date (text chosen to match the UI's wording; see README). */
export const closedPeriod = (txnType: string, closingDate: string) =>
  error(
    3180,
    `There was an error when saving a ${txnType}.  QuickBooks error message: You cannot add, modify or delete a transaction dated on or before the closing date (${closingDate}).`,
  );

export type LockCode = 3170 | 3175 | 3176 | 3180;

/** The record-locked family: another user holds the list or the record. `subject` names the list and element. */
export function locked(code: LockCode, listName: string, element: string): QbStatus {
  switch (code) {
    case 3170:
      return error(
        3170,
        `There was an error when modifying a ${listName} list, element "${element}".  QuickBooks error message: The internals could not be locked.  They are in use by another user.`,
      );
    case 3175:
      return error(
        3175,
        `There was an error adding, modifying or deleting ${element} because it is already in use.  QuickBooks error message: The transaction could not be locked.  It is in use by another user.`,
      );
    case 3176:
      return error(
        3176,
        `There was an error adding, modifying or deleting ${element} because it is already in use.  QuickBooks error message: The application failed to acquire the lock.`,
      );
    case 3180:
      return error(
        3180,
        `There was an error when saving a ${listName} list, element "${element}".  QuickBooks error message: This list has been modified by another user.`,
      );
  }
}

export type PermissionCode = 3250 | 3260 | 3261;

/** Features and permissions: a person has to change something in QuickBooks. */
export function refused(code: PermissionCode): QbStatus {
  switch (code) {
    case 3250:
      return error(3250, 'This feature is not enabled or not available in this version of QuickBooks.');
    case 3260:
      return error(3260, 'Insufficient permission level to perform this action.');
    case 3261:
      return error(3261, 'The integrated application has no permission to access personal data.');
  }
}

/** HRESULT and text the request processor raises (instead of a response) for XML it cannot parse or validate. */
export const PARSE_ERROR = {
  hresult: '0x80040400',
  message: 'QuickBooks found an error when parsing the provided XML text stream.',
};
