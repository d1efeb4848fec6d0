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

const ALPHA3: Record<Company['country'], string> = { US: 'USA', GB: 'GBR', CA: 'CAN', AU: 'AUS' };

/** The company's CompanyInfo entity. */
export function companyInfoOf(company: Company): QboObject {
  const stamp = qboTimestamp(company.createdAt);
  return {
    CompanyName: company.companyName,
    LegalName: company.companyName,
    Country: company.country,
    // Addresses carry ISO 3166 alpha-3 since October 2025 (Intuit, 2025-08-13); the top-level Country stays alpha-2.
    CompanyAddr: { Country: ALPHA3[company.country] },
    LegalAddr: { Country: ALPHA3[company.country] },
    CustomerCommunicationAddr: { Country: ALPHA3[company.country] },
    SupportedLanguages: 'en',
    Id: '1',
    SyncToken: '0',
    MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
  };
}
