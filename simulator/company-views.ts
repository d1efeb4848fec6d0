import { qboTimestamp } from './clock';
import { homeCurrency } from './company-seed';
import type { Company, QboObject } from './state';

/** The company's Preferences entity; BookCloseDate is omitted when no closing date is set. */
export function preferencesOf(company: Company): QboObject {
  const us = company.country === 'US';
  const stamp = qboTimestamp(company.createdAt);
  return {
    AccountingInfoPrefs: {
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      CustomerTerminology: 'Customers',
      ...(company.prefs.bookCloseDate ? { BookCloseDate: company.prefs.bookCloseDate } : {}),
    },
    ProductAndServicesPrefs: {
      ForSales: true,
      ForPurchase: true,
      QuantityWithPriceAndRate: true,
      QuantityOnHand: true,
    },
    SalesFormsPrefs: {
      CustomTxnNumbers: company.prefs.customTxnNumbers,
      AllowDiscount: true,
      AllowDeposit: true,
      AllowShipping: false,
    },
    CurrencyPrefs: {
      MultiCurrencyEnabled: company.prefs.multiCurrency,
      HomeCurrency: { value: homeCurrency(company.country) },
    },
    TaxPrefs: us ? { UsingSalesTax: true, PartnerTaxEnabled: true } : { UsingSalesTax: true },
    Id: '1',
    SyncToken: '0',
    MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
  };
}

/** The company's CompanyInfo entity. */
export function companyInfoOf(company: Company): QboObject {
  const stamp = qboTimestamp(company.createdAt);
  return {
    CompanyName: company.companyName,
    LegalName: company.companyName,
    Country: company.country,
    CompanyAddr: { Country: company.country },
    SupportedLanguages: 'en',
    Id: '1',
    SyncToken: '0',
    MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
  };
}
