import { createCompany, seededAccountId } from './company-seed';
import { insertRecord } from './entities/records';
import type { Company, QboObject } from './state';

/** The demo company's name, as the connect page and CompanyInfo show it. */
export const DEMO_COMPANY_NAME = 'Sandbox Company (qbo-sync demo)';

const CUSTOMERS: Array<[string, string]> = [
  ["Amy's Bird Sanctuary", 'Birds@Intuit.com'],
  ["Bill's Windsurf Shop", 'Surf@Intuit.com'],
  ['Cool Cars', 'Cool_Cars@intuit.com'],
  ['Dukes Basketball Camp', 'Dukes_bball@intuit.com'],
  ['Freeman Sporting Goods', 'Sporting_goods@intuit.com'],
  ['Kookies by Kathy', 'qbwebsamplecompany@yahoo.com'],
];

const ITEMS: Array<[string, 'Service' | 'NonInventory', number, string]> = [
  ['Design', 'Service', 75, 'Services'],
  ['Gardening', 'Service', 0, 'Services'],
  ['Installation', 'Service', 50, 'Services'],
  ['Pest Control', 'Service', 35, 'Services'],
  ['Rocks', 'NonInventory', 0, 'Sales of Product Income'],
  ['Sprinkler Heads', 'NonInventory', 2, 'Sales of Product Income'],
];

/**
 * A US company laid out like Intuit's sandbox company: the default chart of accounts and tax codes
 * plus a few customers and items, under a fixed realm id so a walk-through can name it.
 */
export function createDemoCompany(realmId: string, now: number): Company {
  const company = createCompany({ country: 'US', name: DEMO_COMPANY_NAME }, now);
  company.realmId = realmId;
  const add = (entity: 'Customer' | 'Item', data: QboObject) =>
    insertRecord(company, entity, { Active: true, ...data }, now);
  for (const [name, email] of CUSTOMERS) {
    add('Customer', {
      DisplayName: name,
      FullyQualifiedName: name,
      CompanyName: name,
      PrimaryEmailAddr: { Address: email },
      Balance: 0,
    });
  }
  for (const [name, type, price, account] of ITEMS) {
    add('Item', {
      Name: name,
      FullyQualifiedName: name,
      Type: type,
      UnitPrice: price,
      Taxable: false,
      IncomeAccountRef: { value: seededAccountId(company, account), name: account },
    });
  }
  return company;
}
