import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const limitFields = {
  ratePerMinute: z.number().int().positive().optional(),
  maxConcurrent: z.number().int().positive().optional(),
  ratePerSecond: z.number().int().positive().optional(),
  batchesPerMinute: z.number().int().positive().optional(),
  maxBatchItems: z.number().int().positive().optional(),
};

/** Body of `POST /_sim/companies`. */
export const createCompanyBody = z.object({
  country: z.enum(['US', 'GB', 'CA', 'AU']).optional(),
  name: z.string().min(1).optional(),
  customTxnNumbers: z.boolean().optional(),
  multiCurrency: z.boolean().optional(),
  bookCloseDate: date.optional(),
  ...limitFields,
});

/** Body of `PATCH /_sim/companies/:realmId`. */
export const patchCompanyBody = z.object({
  bookCloseDate: date.nullable().optional(),
  customTxnNumbers: z.boolean().optional(),
  multiCurrency: z.boolean().optional(),
  subscriptionLapsed: z.union([z.literal(false), z.literal('400'), z.literal('200')]).optional(),
  closedPeriodCode: z.enum(['6210', '6200']).optional(),
  ...limitFields,
});

/** Body of `POST /_sim/clock`. */
export const clockBody = z.object({ advanceSeconds: z.number() });

/** Body of `POST /_sim/demo-company`. */
export const demoCompanyBody = z.object({ realmId: z.string().regex(/^\d{1,20}$/, 'digits') });
