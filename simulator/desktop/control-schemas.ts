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

const optionalText = z.string().min(1).max(4095).optional();
const contact = {
  CompanyName: optionalText,
  FirstName: optionalText,
  LastName: optionalText,
  Phone: optionalText,
  Email: optionalText,
};

/** Bodies of `POST /_sim/desktop/companies/:companyId/records/:kind`: a record typed in by a person. */
export const directAddBodies = {
  names: z.object({ Name: z.string().min(1), IsActive: z.boolean().optional(), ...contact }).strict(),
  accounts: z.object({ Name: z.string().min(1), AccountType: z.string().min(1).optional() }).strict(),
  items: z
    .object({
      Name: z.string().min(1),
      IsActive: z.boolean().optional(),
      Type: z.enum(['Service', 'NonInventory']).optional(),
      Desc: optionalText,
      Price: z.number().nonnegative().optional(),
      /** The income account's name; default `Services`. */
      Account: optionalText,
    })
    .strict(),
};

/** Bodies of `PATCH /_sim/desktop/companies/:companyId/records/:kind/:id`: fields a person changes in Desktop. */
export const directEditBodies = {
  names: z.object({ Name: optionalText, IsActive: z.boolean().optional(), ...contact }).strict(),
  accounts: z.object({ Name: optionalText, IsActive: z.boolean().optional() }).strict(),
  items: z
    .object({
      Name: optionalText,
      IsActive: z.boolean().optional(),
      Desc: optionalText,
      Price: z.number().nonnegative().optional(),
    })
    .strict(),
  transactions: z
    .object({ Memo: z.string().max(4095).optional(), RefNumber: optionalText, TxnDate: date.optional() })
    .strict(),
};

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
    kind: z.literal('refused'),
    code: z.union([z.literal(3250), z.literal(3260), z.literal(3261)]),
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
