import { z } from '@hono/zod-openapi';
import { literalTaxCodeIds } from '../../sync/tax-codes';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: errorBodySchema } };

/** The error answers every route may give. */
export const errorResponses = {
  400: { description: 'Malformed request', content: errorContent },
  401: { description: 'Missing or invalid API key', content: errorContent },
  403: { description: 'The key lacks the role', content: errorContent },
  404: { description: 'Not found', content: errorContent },
  409: { description: 'Not possible in the current state', content: errorContent },
  422: { description: 'Invalid input, with every bad field and why', content: errorContent },
} as const;

export const syncIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'sync:9130000000000001:INV-1001' }),
});

export const realmIdParam = z.object({
  realmId: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be a QuickBooks company id')
    .openapi({ param: { name: 'realmId', in: 'path' } }),
});

/** A QuickBooks record id as QuickBooks issues them: digits only. */
export const qboIdPattern = /^\d{1,20}$/;
export const qboIdMessage = 'must be a QuickBooks record id (digits)';

/** A QuickBooks record id in a request (`qboId`, `accountId`, …). */
export const qboIdSchema = z.string().regex(qboIdPattern, qboIdMessage);

/** A QuickBooks TaxCode id: a record id, or one of the US companies' literal codes (TAX, NON). */
export const taxCodeIdSchema = z
  .string()
  .regex(
    new RegExp(`^(${qboIdPattern.source.slice(1, -1)}|${literalTaxCodeIds.join('|')})$`),
    `must be a QuickBooks tax code id (digits, or ${literalTaxCodeIds.join(' / ')})`,
  );
