import { insertRecord } from './entities/records';
import { newRealmId } from './ids';
import type { Company, CompanyLimits, Country, EntityName, QboObject } from './state';
import { ENTITY_NAMES } from './state';

/** Options accepted when creating a company. */
export interface CompanyOptions {
  country?: Country;
  name?: string;
  customTxnNumbers?: boolean;
  multiCurrency?: boolean;
  bookCloseDate?: string;
  ratePerMinute?: number;
  maxConcurrent?: number;
  ratePerSecond?: number;
  batchesPerMinute?: number;
  maxBatchItems?: number;
}

/**
 * Default per-company limits, as Intuit's limits page publishes them: 500 requests/min, 10/s, 10 at once,
 * 40 batch requests/min and 30 payloads per batch (simulator/README.md cites the sources).
 */
export const DEFAULT_LIMITS: Required<CompanyLimits> = {
  ratePerMinute: 500,
  maxConcurrent: 10,
  ratePerSecond: 10,
  batchesPerMinute: 40,
  maxBatchItems: 30,
};

/** A company's limits with QuickBooks' defaults for any it was created without. */
export function limitsOf(company: Company): Required<CompanyLimits> {
  return { ...DEFAULT_LIMITS, ...company.limits };
}

const CHART: Array<[string, string, string]> = [
  ['Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable'],
  ['Undeposited Funds', 'Other Current Asset', 'UndepositedFunds'],
  ['Sales of Product Income', 'Income', 'SalesOfProductIncome'],
  ['Services', 'Income', 'ServiceFeeIncome'],
  ['Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs'],
  ['Inventory Asset', 'Other Current Asset', 'Inventory'],
  ['Checking', 'Bank', 'Checking'],
];

const NON_US_TAX: Record<Exclude<Country, 'US'>, Array<[string, number]>> = {
  GB: [
    ['20.0% S', 20],
    ['Zero-rated', 0],
    ['Exempt', 0],
  ],
  CA: [
    ['GST', 5],
    ['HST ON', 13],
    ['Exempt', 0],
  ],
  AU: [
    ['GST', 10],
    ['GST free', 0],
    ['Exempt', 0],
  ],
};

const CURRENCY: Record<Country, string> = { US: 'USD', GB: 'GBP', CA: 'CAD', AU: 'AUD' };

/** The currency a company's transactions default to. */
export function homeCurrency(country: Country): string {
  return CURRENCY[country];
}

/** Creates a company with QuickBooks' default chart of accounts and tax codes for its country. */
export function createCompany(options: CompanyOptions, now: number): Company {
  const country = options.country ?? 'US';
  const records = Object.fromEntries(ENTITY_NAMES.map((e) => [e, {}])) as Company['records'];
  const company: Company = {
    realmId: newRealmId(),
    companyName: options.name ?? `Sandbox Company ${country}`,
    country,
    createdAt: now,
    prefs: {
      customTxnNumbers: options.customTxnNumbers ?? true,
      multiCurrency: options.multiCurrency ?? false,
      ...(options.bookCloseDate ? { bookCloseDate: options.bookCloseDate } : {}),
    },
    flags: { subscriptionLapsed: false, closedPeriodCode: '6210' },
    limits: {
      ratePerMinute: options.ratePerMinute ?? DEFAULT_LIMITS.ratePerMinute,
      maxConcurrent: options.maxConcurrent ?? DEFAULT_LIMITS.maxConcurrent,
      ratePerSecond: options.ratePerSecond ?? DEFAULT_LIMITS.ratePerSecond,
      batchesPerMinute: options.batchesPerMinute ?? DEFAULT_LIMITS.batchesPerMinute,
      maxBatchItems: options.maxBatchItems ?? DEFAULT_LIMITS.maxBatchItems,
    },
    nextId: 1,
    records,
    replies: {},
  };
  const add = (entity: EntityName, data: QboObject) => insertRecord(company, entity, data, now);
  for (const [name, type, subType] of CHART) {
    add('Account', {
      Name: name,
      FullyQualifiedName: name,
      AccountType: type,
      AccountSubType: subType,
      Classification: type === 'Income' ? 'Revenue' : type === 'Cost of Goods Sold' ? 'Expense' : 'Asset',
      Active: true,
      SubAccount: false,
      CurrentBalance: 0,
      CurrencyRef: { value: homeCurrency(country) },
    });
  }
  if (country === 'US') {
    add('TaxCode', {
      Id: 'TAX',
      Name: 'TAX',
      Description: 'TAX',
      Active: true,
      Taxable: true,
      TaxGroup: false,
    });
    add('TaxCode', {
      Id: 'NON',
      Name: 'NON',
      Description: 'NON',
      Active: true,
      Taxable: false,
      TaxGroup: false,
    });
    return company;
  }
  for (const [name, rate] of NON_US_TAX[country]) {
    const taxRate = add('TaxRate', {
      Name: name,
      Description: name,
      Active: true,
      RateValue: rate,
      SpecialTaxType: 'NONE',
      DisplayType: 'ReadOnly',
    });
    add('TaxCode', {
      Name: name,
      Description: name,
      Active: true,
      Taxable: rate > 0,
      TaxGroup: false,
      SalesTaxRateList: {
        TaxRateDetail: [
          { TaxRateRef: { value: taxRate.data.Id, name }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 },
        ],
      },
      PurchaseTaxRateList: { TaxRateDetail: [] },
    });
  }
  return company;
}

/** The seeded account with the given name; throws if the chart lacks it (a seeding bug). */
export function seededAccountId(company: Company, name: string): string {
  const found = Object.values(company.records.Account).find((r) => r.data.Name === name);
  if (!found) throw new Error(`account ${name} missing from company ${company.realmId}`);
  return found.data.Id;
}
