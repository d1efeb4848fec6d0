import { randomBytes } from 'node:crypto';
import type { SyncDocument } from '../../workflows/contract';

/** A unique suffix so tests never share source ids or names. */
export const unique = () => randomBytes(4).toString('hex');

/** A valid invoice document for `realmId`, with one customer, two service lines and optional payments. */
export function invoiceDocument(
  realmId: string,
  overrides: Partial<SyncDocument> & { tag?: string } = {},
): SyncDocument {
  const tag = overrides.tag ?? unique();
  return {
    realmId,
    customer: {
      sourceId: `cust-${tag}`,
      displayName: `Customer ${tag}`,
      email: `billing-${tag}@example.com`,
      billingAddress: {
        line1: '1 Main St',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US',
      },
    },
    invoice: {
      sourceId: `inv-${tag}`,
      version: 1,
      docNumber: `INV-${tag}`,
      txnDate: '2026-11-02',
      dueDate: '2026-12-02',
      memo: 'Thank you',
    },
    lines: [
      {
        item: { sourceId: `svc-${tag}`, name: `Consulting ${tag}`, type: 'Service', unitPrice: 150 },
        quantity: 2,
        amount: 300,
        taxCategory: 'exempt',
      },
      {
        item: { sourceId: `fee-${tag}`, name: `Travel ${tag}`, type: 'Service', unitPrice: 45.5 },
        quantity: 1,
        amount: 45.5,
      },
    ],
    payments: [],
    ...overrides,
  };
}
