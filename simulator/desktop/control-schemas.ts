import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Body of `POST /_sim/desktop/companies`. */
export const createDesktopCompanyBody = z.object({
  name: z.string().min(1).max(100).optional(),
  closingDate: date.optional(),
});

/** Body of `PUT /_sim/desktop/companies/:companyId/connector`: what the admin types into the Web Connector from a .QWC. */
export const connectorBody = z.object({
  appUrl: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1),
  password: z.string(),
  /** The .QWC `Scheduler/RunEveryNSeconds`; omitted = no schedule, polls only on `…/connector/poll`. */
  pollSeconds: z.number().int().min(1).max(86_400).optional(),
  /** Seconds to wait for each SOAP answer before the session counts as failed. */
  timeoutSeconds: z.number().int().min(1).max(600).optional(),
});

/** Body of `PUT /_sim/desktop/companies/:companyId/closing-date`. */
export const closingDateBody = z.object({ closingDate: date.nullable() });

/** The record kinds the control surface reads and edits. */
export const RECORD_KINDS = [
  'customers',
  'vendors',
  'employees',
  'other-names',
  'accounts',
  'items',
  'invoices',
  'payments',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Body of `POST /_sim/desktop/companies/:companyId/records/:kind`: a record typed in by a person (no qbXML rules). */
export const directAddBody = z
  .object({
    Name: z.string().min(1).max(41).optional(),
    IsActive: z.boolean().optional(),
    /** items: `Service` (default) or `NonInventory`; accounts: the AccountType, default `Income`. */
    Type: z.string().optional(),
  })
  .catchall(z.unknown());

/** Body of `PATCH /_sim/desktop/companies/:companyId/records/:kind/:id`: fields set as a person would in Desktop. */
export const directEditBody = z.record(z.string(), z.unknown());

const lockCode = z.union([z.literal(3170), z.literal(3175), z.literal(3176), z.literal(3180)]);
const match = z
  .object({
    /** The qbXML request element without `Rq`, e.g. `InvoiceAdd`. */
    request: z.string().regex(/^[A-Za-z]+$/, 'a qbXML request name such as InvoiceAdd'),
  })
  .partial();

/** Body of `POST /_sim/desktop/companies/:companyId/faults`. */
export const desktopFaultBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('drop-session'),
    times: z.number().int().positive().default(1),
    match: match.optional(),
  }),
  z.object({
    kind: z.literal('list-locked'),
    code: lockCode.default(3180),
    times: z.number().int().positive().default(1),
    match: match.optional(),
  }),
  z.object({
    kind: z.literal('stale-edit-sequence'),
    times: z.number().int().positive().default(1),
    match: match.optional(),
  }),
]);
export type DesktopFaultInput = z.infer<typeof desktopFaultBody>;
