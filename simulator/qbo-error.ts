/** One entry of a QuickBooks Fault.Error array. */
export interface QboErrorItem {
  Message: string;
  Detail: string;
  code: string;
  element: string;
}

/** A QuickBooks fault raised by a business rule; rendered in the standard `Fault` envelope. */
export class QboError extends Error {
  constructor(
    readonly item: QboErrorItem,
    readonly faultType = 'ValidationFault',
    readonly httpStatus = 400,
  ) {
    super(`${item.code} ${item.Message}: ${item.Detail}`);
  }
}

function fault(code: string, message: string, detail: string, element = ''): QboError {
  return new QboError({ Message: message, Detail: detail, code, element });
}

const INACTIVE_TEXT =
  "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.";

/** Texts QuickBooks returns, as quoted in ../shared/qbo-reference.md. */
export const faults = {
  duplicateName: (detailTail: string, element = 'DisplayName') =>
    fault(
      '6240',
      'Duplicate Name Exists Error',
      `The name supplied already exists. : ${detailTail}`,
      element,
    ),
  forbiddenNameCharacters: (element: string) =>
    fault(
      '6000',
      'A business validation error has occurred while processing your request',
      'Business Validation Error: The DisplayName, Title, GivenName, MiddleName, FamilyName, Suffix, and PrintOnCheckName attributes must not contain colon (:), tab (\\t), or newline (\\n) characters.',
      element,
    ),
  businessValidation: (text: string, element = '') =>
    fault(
      '6000',
      'A business validation error has occurred while processing your request',
      `Business Validation Error: ${text}`,
      element,
    ),
  stringLength: (element: string, max: number, supplied: number) =>
    fault(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max.toLocaleString('en-US')} supported. Supplied length: ${supplied.toLocaleString('en-US')}`,
      element,
    ),
  duplicateDocNumber: (docNumber: string, txnId: string) =>
    fault(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=Invoice with TxnId=${txnId}`,
      'DocNumber',
    ),
  inactiveReference: (element: string) =>
    fault('610', 'Object Not Found', `Object Not Found : ${INACTIVE_TEXT}`, element),
  deletedTransaction: () =>
    fault('610', 'Object Not Found', 'Object Not Found : Another user has deleted this transaction.'),
  invalidReference: (element: string) =>
    fault('2500', 'Invalid Reference Id', `Invalid Reference Id : ${element}`, element),
  requiredMissing: (path: string) =>
    fault(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${path} is missing in the request`,
      path,
    ),
  noNameProvided: () =>
    fault(
      '6080',
      'No Name Provided',
      'Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of these must be non-empty',
    ),
  amountCalculation: (amount: unknown) =>
    fault(
      '6070',
      'Amount calculation incorrect in the request',
      `Amount is not equal to Qty * UnitPrice. Supplied value:${String(amount)}`,
      'Line.Amount',
    ),
  usLineTaxCode: (value: string) =>
    fault(
      '6100',
      'Invalid Line TaxCode in the request',
      `Valid Line TaxCodes for US should be TAX or NON. Supplied value:${value}`,
      'Line.SalesItemLineDetail.TaxCodeRef',
    ),
  periodClosed: (code: '6210' | '6200') =>
    fault(
      code,
      'Account Period Closed, Cannot Update Through Services API',
      'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
    ),
  txnCannotBeLinked: () =>
    fault(
      '620',
      'TxnID Cannot Be Linked',
      `TxnID Cannot Be Linked : Cannot validate linked transactions: ${INACTIVE_TEXT}`,
      'Line.LinkedTxn.TxnId',
    ),
  staleObject: () =>
    fault(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and API API were working on this at the same time. API API finished before you did, so your work was not saved.',
      'SyncToken',
    ),
  invalidEnumeration: (value: string, element: string) =>
    fault('2170', 'Invalid Enumeration', `Invalid Enumeration: ${value}`, element),
  unsupportedOperation: (operation: string) =>
    fault('500', 'Unsupported Operation', `Operation ${operation} is not supported.`),
  invalidAccountType: () =>
    fault(
      '6010',
      'Invalid Account.AccountType && Account.SubType',
      'Either an Account.AccountType or an Account.AccountSubType must be specified',
    ),
  companyStatus: (httpStatus: number) =>
    new QboError(
      {
        Message: 'Invalid Company Status',
        Detail:
          "Subscription period has ended or been canceled, or there was a billing problem: You can't add data to QuickBooks Online Plus because your trial or subscription period ended, you canceled your subscription, or there was a billing problem.",
        code: '6190',
        element: '',
      },
      'ValidationFault',
      httpStatus,
    ),
  unsupportedMinorVersion: (value: string) =>
    fault(
      '2010',
      'Request has invalid or unsupported property',
      `Minor version ${value} is not a minor version number.`,
      'minorversion',
    ),
  malformedJson: (why: string) =>
    fault('2010', 'Request has invalid or unsupported property', `Property Name:${why}`),
  queryParser: (encountered: string) =>
    fault('4000', 'Error parsing query', `QueryParserError: Encountered ${encountered}`),
  queryValidation: (text: string) => fault('4001', 'Invalid query', `QueryValidationError: ${text}`),
  batchMalformed: (text: string) => fault('400', 'MalformedRequest', text),
  unsupportedResource: (path: string) =>
    fault('400', 'Unsupported resource', `Resource ${path} is not supported.`),
  transient: () =>
    fault(
      '6000',
      'A business validation error has occurred while processing your request',
      'Business Validation Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
    ),
  systemFailure: () =>
    new QboError(
      {
        Message: 'An application error has occurred while processing your request',
        Detail: 'System Failure Error: An unexpected error has occurred.',
        code: '10000',
        element: '',
      },
      'SystemFault',
      500,
    ),
};
