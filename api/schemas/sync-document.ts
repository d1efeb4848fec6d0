import { z } from '@hono/zod-openapi';
import type { SyncDocument } from '../../workflows/contract';
import { safeTextRule, UNSAFE_TEXT } from './safe-text';

/**
 * The document the source app sends. Everything QuickBooks is known to reject is caught here, before
 * any QuickBooks call, with the fix in the message.
 */

const NAME_FORBIDDEN = /[:\t\n\r]/;
const nameRule =
  'must not contain a colon, tab or newline (QuickBooks rejects them in names): replace or remove them';

const plain = () => z.string().refine((v) => !UNSAFE_TEXT.test(v), safeTextRule);

/** The largest version a document may carry: links.source_version is a Postgres integer. */
export const MAX_DOCUMENT_VERSION = 2_147_483_647;

const text = (max: number, what = 'this field') =>
  plain()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is longer than the ${max} characters QuickBooks allows for ${what}: shorten it`);

const name = (max: number, what: string) => text(max, what).refine((v) => !NAME_FORBIDDEN.test(v), nameRule);

const sourceId = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'is not a real calendar date',
  );

const money = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .finite()
    .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, `${what} must have at most 2 decimals`)
    .refine(
      (v) => Math.abs(v) < 1e10,
      `${what} is larger than QuickBooks accepts (10 digits before the point)`,
    );

const address = z.strictObject({
  line1: text(500, 'an address line'),
  line2: text(500, 'an address line').optional(),
  city: text(255, 'a city').optional(),
  region: text(255, 'a region').optional(),
  postalCode: text(30, 'a postal code').optional(),
  country: text(255, 'a country').optional(),
});

const customer = z.strictObject({
  sourceId,
  displayName: name(500, 'a customer display name'),
  givenName: name(100, 'a given name').optional(),
  familyName: name(100, 'a family name').optional(),
  companyName: text(100, 'a company name').optional(),
  email: text(100, 'an email address')
    .refine((v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'must be an email address with an @ and a dot')
    .optional(),
  phone: text(30, 'a phone number').optional(),
  billingAddress: address.optional(),
});

const item = z.strictObject({
  sourceId,
  sku: text(100, 'an item SKU').optional(),
  name: name(100, 'an item name'),
  type: z.enum(['Service', 'NonInventory', 'Inventory'], {
    error: 'must be Service, NonInventory or Inventory',
  }),
  description: text(4000, 'a description').optional(),
  unitPrice: z.number().finite().min(0, 'must not be negative'),
});

const line = z.strictObject({
  item,
  description: text(4000, 'a line description').optional(),
  quantity: z.number().finite().positive('must be greater than 0'),
  amount: money('amount'),
  taxCategory: plain().min(1).max(100).optional(),
});

const invoice = z.strictObject({
  sourceId,
  version: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(MAX_DOCUMENT_VERSION, `must be at most ${MAX_DOCUMENT_VERSION} (a 32-bit version number)`),
  docNumber: plain()
    .min(1, 'must not be empty')
    .max(
      21,
      'is longer than the 21 characters QuickBooks allows for an invoice number (DocNumber): shorten it, or leave it out and let QuickBooks assign one',
    )
    .optional(),
  txnDate: isoDate,
  dueDate: isoDate.optional(),
  memo: text(1000, 'a customer memo').optional(),
});

const payment = z.strictObject({
  sourceId,
  txnDate: isoDate,
  amount: money('amount').refine((v) => v > 0, 'must be greater than 0'),
  method: text(31, 'a payment method').optional(),
  reference: text(21, 'a payment reference number').optional(),
});

/** Cross-field rules: amounts, totals, dates and duplicates. */
function checkDocument(doc: z.infer<typeof documentShape>, ctx: z.RefinementCtx) {
  doc.lines.forEach((l, i) => {
    const expected = Math.round(l.quantity * l.item.unitPrice * 100) / 100;
    if (Math.abs(expected - l.amount) > 0.005) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', i, 'amount'],
        message: `is ${l.amount} but quantity ${l.quantity} × unit price ${l.item.unitPrice} = ${expected}; QuickBooks rejects a line whose amount is not quantity × price: send ${expected} or fix the price`,
      });
    }
  });
  const itemDefinitions = new Map<string, string>();
  doc.lines.forEach((l, i) => {
    const seen = itemDefinitions.get(l.item.sourceId);
    const json = JSON.stringify(l.item);
    if (seen && seen !== json) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', i, 'item'],
        message: `item ${l.item.sourceId} appears twice with different details: send one definition`,
      });
    }
    itemDefinitions.set(l.item.sourceId, json);
  });
  const total = Math.round(doc.lines.reduce((sum, l) => sum + l.amount, 0) * 100) / 100;
  const paid = Math.round(doc.payments.reduce((sum, p) => sum + p.amount, 0) * 100) / 100;
  if (paid > total + 0.005) {
    ctx.addIssue({
      code: 'custom',
      path: ['payments'],
      message: `total ${paid} is larger than the invoice total ${total}: a payment cannot exceed what is owed`,
    });
  }
  const paymentIds = new Set<string>();
  doc.payments.forEach((p, i) => {
    if (paymentIds.has(p.sourceId))
      ctx.addIssue({
        code: 'custom',
        path: ['payments', i, 'sourceId'],
        message: 'is used by another payment of this invoice',
      });
    paymentIds.add(p.sourceId);
  });
  if (doc.invoice.dueDate && doc.invoice.dueDate < doc.invoice.txnDate) {
    ctx.addIssue({ code: 'custom', path: ['invoice', 'dueDate'], message: 'is before the invoice date' });
  }
}

const documentShape = z.strictObject({
  realmId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be the QuickBooks company id (realmId)'),
  customer,
  invoice,
  lines: z
    .array(line)
    .min(1, 'an invoice needs at least one line')
    .max(750, 'QuickBooks allows at most 750 lines on an invoice'),
  payments: z.array(payment).max(100, 'at most 100 payments per invoice').default([]),
});

export const syncDocumentSchema = documentShape.superRefine(checkDocument).openapi('SyncDocument');

// Compile-time proof that the schema and the workflow's document type agree.
type Parsed = z.infer<typeof syncDocumentSchema>;
const _schemaMatchesContract: (d: Parsed) => SyncDocument = (d) => d;
const _contractMatchesSchema: (d: SyncDocument) => z.input<typeof syncDocumentSchema> = (d) => d;
void _schemaMatchesContract;
void _contractMatchesSchema;
