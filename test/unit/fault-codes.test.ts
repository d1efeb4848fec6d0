import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFault } from '../../quickbooks/faults';

/** The JSON data-services envelope, as on Intuit's "Fix common errors" page. */
function fault(code: string, message: string, detail: string, element = '', type = 'ValidationFault') {
  return JSON.stringify({
    Fault: { Error: [{ Message: message, Detail: detail, code, element }], type },
    time: '2017-09-29T09:17:31.892-07:00',
  });
}

const inactiveDetail =
  "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.";

describe('classifyFault: codes from the reference table', () => {
  const cases: [string, number, string, string, Partial<ReturnType<typeof classifyFault>>][] = [
    [
      '6240 duplicate name',
      400,
      fault(
        '6240',
        'Duplicate Name Exists Error',
        'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
      ),
      'duplicate_name',
      { retryable: false, code: '6240' },
    ],
    [
      '6240 with the $$customer$$ template token',
      400,
      fault(
        '6240',
        'Duplicate Name Exists Error',
        'The name supplied already exists. : Another $$customer$$ is already using this name.',
      ),
      'duplicate_name',
      {},
    ],
    [
      '6240 tax rate variant (mentions tax, still a name clash)',
      400,
      fault(
        '6240',
        'Duplicate Name Exists Error',
        'Another tax rate is already using this \nname. Please use a different name.',
      ),
      'duplicate_name',
      {},
    ],
    [
      '6140 duplicate doc number',
      400,
      fault(
        '6140',
        'Duplicate Document Number Error',
        'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=1001 is assigned to TxnType=Invoice with TxnId=145',
      ),
      'duplicate_doc_number',
      {},
    ],
    [
      'Duplicate Document Number text under 6210 (the blog typo)',
      400,
      fault(
        '6210',
        'Duplicate Document Number Error',
        'Duplicate Document Number Error : You must specify a different number.',
      ),
      'duplicate_doc_number',
      {},
    ],
    [
      '610 made inactive',
      400,
      fault('610', 'Object Not Found', `Object Not Found : ${inactiveDetail}`),
      'inactive_or_missing_reference',
      {},
    ],
    [
      '610 deleted transaction',
      400,
      fault('610', 'Object Not Found', 'Object Not Found : Another user has deleted this transaction.'),
      'inactive_or_missing_reference',
      {},
    ],
    [
      '2500 made inactive',
      400,
      fault('2500', 'Invalid Reference Id', `Invalid Reference Id : ${inactiveDetail}`),
      'inactive_or_missing_reference',
      {},
    ],
    [
      '2500 on an item ref',
      400,
      fault(
        '2500',
        'Invalid Reference Id',
        'Invalid Reference Id : Line.SalesItemLineDetail.ItemRef',
        'Line.SalesItemLineDetail.ItemRef',
      ),
      'inactive_or_missing_reference',
      { element: 'Line.SalesItemLineDetail.ItemRef' },
    ],
    [
      '2500 on a tax code ref',
      400,
      fault(
        '2500',
        'Invalid Reference Id',
        'Invalid Reference Id : Line.SalesItemLineDetail.TaxCodeRef',
        'Line.SalesItemLineDetail.TaxCodeRef',
      ),
      'tax_mismatch',
      {},
    ],
    [
      '2500 on an account ref',
      400,
      fault('2500', 'Invalid Reference Id', 'Invalid Reference Id : IncomeAccountRef', 'IncomeAccountRef'),
      'account_mapping',
      {},
    ],
    [
      '620 TxnID cannot be linked',
      400,
      fault(
        '620',
        'TxnID Cannot Be Linked',
        `TxnID Cannot Be Linked : Cannot validate linked transactions: ${inactiveDetail}`,
      ),
      'inactive_or_missing_reference',
      {},
    ],
    [
      '5010 stale object',
      400,
      fault(
        '5010',
        'Stale Object Error',
        'Stale Object Error : You and API API were working on this at the same time. API API finished before you did, so your work was not saved.',
      ),
      'stale_object',
      { retryable: false },
    ],
    [
      '6210 closed period',
      400,
      fault(
        '6210',
        'Account Period Closed, Cannot Update Through Services API',
        'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
      ),
      'closed_period',
      { pause: 'closed_period', retryable: false },
    ],
    [
      '6200 closed period (Harvest)',
      400,
      fault('6200', 'Account Period Closed', 'The account period has closed. {1}'),
      'closed_period',
      { pause: 'closed_period' },
    ],
    [
      'closed period under 5010 (python-quickbooks#208)',
      400,
      fault(
        '5010',
        'Account Period Closed, Cannot Update Through Services API',
        'The account period has closed and the account books cannot be updated through through the QBO Services API.',
      ),
      'closed_period',
      {},
    ],
    [
      '2050 string length',
      400,
      fault(
        '2050',
        'String length is either shorter or longer than supported by specification',
        'String length specified does not match the supported length. Min:0 Max:21 supported. Supplied length: 25',
        'DocNumber',
      ),
      'invalid_field',
      { element: 'DocNumber' },
    ],
    [
      '2020 required param',
      400,
      fault(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Required parameter Line.SalesItemLineDetail is missing in the request',
      ),
      'invalid_field',
      {},
    ],
    [
      '2170 invalid enumeration',
      400,
      fault('2170', 'Invalid Enumeration', 'Invalid Enumeration: HAS_BEEN_BILLED'),
      'invalid_field',
      {},
    ],
    [
      '2210 email',
      400,
      fault('2210', 'Invalid Email', 'Email Address does not conform to the syntax rules of RFC 822.'),
      'invalid_field',
      {},
    ],
    [
      '4001 invalid query',
      400,
      fault('4001', 'Invalid query', 'QueryValidationError: value 0 is too small. Min allowed value is 1'),
      'invalid_field',
      {},
    ],
    [
      '6070 amount calculation',
      400,
      fault(
        '6070',
        'Amount calculation incorrect in the request',
        'Amount is not equal to Qty * UnitPrice. Supplied value:12',
      ),
      'invalid_field',
      {},
    ],
    [
      '6080 no name',
      400,
      fault(
        '6080',
        'No Name Provided',
        'Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of these must be non-empty',
      ),
      'invalid_field',
      {},
    ],
    [
      '500 unsupported operation (non-UTF-8 bytes)',
      400,
      fault(
        '500',
        'Unsupported Operation',
        'Operation com.sun.org.apache.xerces.internal.impl.io.MalformedByteSequenceException: Invalid byte 1 of 1-byte UTF-8 sequence is not supported.',
      ),
      'invalid_field',
      {},
    ],
    [
      '6100 line tax code',
      400,
      fault(
        '6100',
        'Invalid Line TaxCode in the request',
        'Valid Line TaxCodes for US should be TAX or NON. Supplied value:GST',
      ),
      'tax_mismatch',
      {},
    ],
    [
      '6010 account type (not tax)',
      400,
      fault(
        '6010',
        'Invalid Account.AccountType && Account.SubType',
        'Either an Account.AccountType or an Account.AccountSubType must be specified',
      ),
      'account_mapping',
      {},
    ],
    [
      '6190 company status',
      400,
      fault(
        '6190',
        'Invalid Company Status',
        "Subscription period has ended or been canceled, or there was a billing problem: You can't add data to QuickBooks Online Plus because your trial or subscription period ended",
      ),
      'company_status',
      { retryable: false },
    ],
    [
      '6540 deposited',
      400,
      fault(
        '6540',
        'Deposited Transaction cannot be changed',
        'This transaction has been deposited. If you want to change or delete it, you must first edit the deposit it appears on and remove it.',
      ),
      'other',
      {},
    ],
    [
      '5020 feature permission',
      400,
      fault('5020', 'You do not have permission to access this feature.', ''),
      'other',
      {},
    ],
    [
      '120 authorization failure',
      401,
      fault(
        '120',
        'Authorization Failure',
        'AuthorizationFailure: –11014-You do not have access to use QuickBooks Online Plus.',
        '',
        'AuthorizationFault',
      ),
      'auth_forbidden',
      { pause: 'auth' },
    ],
    [
      '100 general authentication error',
      401,
      fault(
        '100',
        'General Authentication Error',
        'AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401',
        '',
        'AuthenticationFault',
      ),
      'auth_expired',
      { pause: 'auth' },
    ],
    [
      '10000 system fault',
      500,
      fault(
        '10000',
        'An application error has occurred while processing your request',
        'System Failure Error: something broke',
        '',
        'SystemFault',
      ),
      'transient_server',
      { retryable: true },
    ],
    [
      'Unexpected Internal Error (-30003) is not blindly retryable',
      500,
      fault(
        '10000',
        'Unexpected Internal Error. (-30003)',
        'Unexpected Internal Error. (-30003)',
        '',
        'SystemFault',
      ),
      'other',
      { retryable: false },
    ],
  ];
  for (const [name, status, body, pattern, extra] of cases) {
    it(name, () => {
      const f = classifyFault(status, body);
      assert.equal(f.pattern, pattern);
      assert.equal(f.status, status);
      assert.ok(f.hint.length > 20);
      for (const [k, v] of Object.entries(extra))
        assert.deepEqual((f as unknown as Record<string, unknown>)[k], v, k);
    });
  }

  it('"Unexpected Internal Error" under a non-system code is other, not retryable', () => {
    const f = classifyFault(400, fault('', 'Unexpected Internal Error. (-30003)', ''));
    assert.equal(f.pattern, 'other');
    assert.equal(f.retryable, false);
  });
});

describe('classifyFault: 6000 business validation variants', () => {
  const msg = 'A business validation error has occurred while processing your request';
  const cases: [string, string][] = [
    [
      'Business Validation Error: Make sure all your transactions have a GST/HST rate before you save.',
      'tax_mismatch',
    ],
    [
      'Business Validation Error: Make sure all your transactions have a VAT rate before you save.',
      'tax_mismatch',
    ],
    [
      'Business Validation Error: One or more transaction lines do not have a tax code associated with it. Please assign a tax code for those lines',
      'tax_mismatch',
    ],
    [
      'Business Validation Error: We\'re sorry, QuickBooks encountered an error while calculating tax. Try reselecting the tax rate or reentering the product/service item and saving the form again. <a href="x">',
      'tax_mismatch',
    ],
    ["Business Validation Error: This account type doesn't support opening balances.", 'account_mapping'],
    [
      'Business Validation Error: When you use Accounts Receivable, you must choose a customer in the Name field.',
      'account_mapping',
    ],
    [
      'Business Validation Error: Invalid account type: You need to select a different type of account for this transaction.',
      'account_mapping',
    ],
    [
      'Business Validation Error: When you create an item, if Track quantity on hand is turned off, the item cannot be of type Inventory.',
      'account_mapping',
    ],
    [
      'Business Validation Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
      'transient_server',
    ],
    ['Business Validation Error: You must set a transaction amount.', 'other'],
  ];
  for (const [detail, pattern] of cases) {
    it(`${pattern}: ${detail.slice(28, 80)}`, () => {
      const f = classifyFault(400, fault('6000', msg, detail));
      assert.equal(f.pattern, pattern);
      assert.equal(f.retryable, pattern === 'transient_server');
    });
  }
});
