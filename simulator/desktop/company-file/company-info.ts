import type { RequestHandler } from './handler';
import { STATUS_OK } from './status';

/** CompanyQuery: the company's name as set up in Desktop. */
export const companyQuery: RequestHandler = ({ file }) => ({
  status: STATUS_OK,
  rets: [
    {
      tag: 'CompanyRet',
      value: { IsSampleCompany: 'false', CompanyName: file.name, LegalCompanyName: file.name },
    },
  ],
});

/** PreferencesQuery: a US company without multicurrency, class tracking or sales tax on by default lines. */
export const preferencesQuery: RequestHandler = () => ({
  status: STATUS_OK,
  rets: [
    {
      tag: 'PreferencesRet',
      value: {
        AccountingPreferences: {
          IsUsingAccountNumbers: 'false',
          IsRequiringAccounts: 'true',
          IsUsingClassTracking: 'false',
        },
        MultiCurrencyPreferences: { IsMultiCurrencyOn: 'false' },
        SalesAndCustomersPreferences: { IsAutoApplyingPayments: 'true' },
      },
    },
  ],
});
