import { z } from '@hono/zod-openapi';
import type { Link } from '../../../db/queries/links';
import { qboIdSchema } from '../../schemas/common';

export const security = [{ apiKey: [] }];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const sourceKeyParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: 'path' }, example });

export const linkView = z
  .object({
    sourceId: z.string(),
    qboId: z.string().nullable(),
    status: z.string(),
    linkedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('LinkMapping');

export const mappingView = z
  .object({
    kind: z.string(),
    sourceKey: z.string(),
    qboId: z.string(),
    qboName: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Mapping');

const candidate = z.object({
  qboId: z.string(),
  name: z.string(),
  active: z.boolean(),
  match: z.enum(['exact', 'contains']),
});

export const suggestion = z
  .object({
    entity: z.enum(['Item', 'Customer']),
    name: z.string(),
    sourceId: z.string().optional(),
    syncId: z.string().optional(),
    candidates: z.array(candidate),
  })
  .openapi('MappingSuggestion');

/** The keys each account mapping takes: income accounts per item type (or default), one deposit account. */
export const accountKeys = {
  income_account: ['default', 'Service', 'NonInventory', 'Inventory'] as const,
  deposit_account: ['default'] as const,
};

export const accountBody = z
  .strictObject({
    accountId: qboIdSchema.optional(),
    accountName: z.string().trim().min(1).max(100).optional(),
  })
  .refine((b) => Boolean(b.accountId) !== Boolean(b.accountName), {
    message: 'give exactly one of accountId or accountName',
  });

export const removedView = z.object({ removed: z.literal(true) });

export function linkOut(l: Link): z.infer<typeof linkView> {
  return {
    sourceId: l.sourceId,
    qboId: l.qboId,
    status: l.status,
    linkedBy: l.linkedBy,
    updatedAt: l.updatedAt.toISOString(),
  };
}

/** A mapping row as the API shows it. */
export function mappingOut<M extends { updatedAt: Date }>(
  m: M,
): Omit<M, 'updatedAt'> & { updatedAt: string } {
  return { ...m, updatedAt: m.updatedAt.toISOString() };
}
