import fc from 'fast-check';
import type { SyncDocument } from '../../workflows/contract';

/** A change that makes a valid sync document invalid, and the field an answer must name. */
export interface Mutation {
  path: string;
  apply(doc: any): void;
  what: string;
}

type Kind = 'string' | 'id' | 'name' | 'number' | 'date' | 'object' | 'array' | 'enum';

// Every field of a document with one payment; `required` ones may be deleted to make it invalid.
const fields: { path: string; kind: Kind; required: boolean; max?: number }[] = [
  { path: 'realmId', kind: 'id', required: true, max: 64 },
  { path: 'customer', kind: 'object', required: true },
  { path: 'customer.sourceId', kind: 'id', required: true, max: 100 },
  { path: 'customer.displayName', kind: 'name', required: true, max: 500 },
  { path: 'customer.email', kind: 'string', required: false, max: 100 },
  { path: 'customer.billingAddress', kind: 'object', required: false },
  { path: 'customer.billingAddress.line1', kind: 'string', required: true, max: 500 },
  { path: 'invoice', kind: 'object', required: true },
  { path: 'invoice.sourceId', kind: 'id', required: true, max: 100 },
  { path: 'invoice.version', kind: 'number', required: true },
  { path: 'invoice.docNumber', kind: 'string', required: false, max: 21 },
  { path: 'invoice.txnDate', kind: 'date', required: true },
  { path: 'invoice.dueDate', kind: 'date', required: false },
  { path: 'invoice.memo', kind: 'string', required: false, max: 1000 },
  { path: 'lines', kind: 'array', required: true },
  { path: 'lines.0.item', kind: 'object', required: true },
  { path: 'lines.0.item.sourceId', kind: 'id', required: true, max: 100 },
  { path: 'lines.0.item.name', kind: 'name', required: true, max: 100 },
  { path: 'lines.0.item.type', kind: 'enum', required: true },
  { path: 'lines.0.item.unitPrice', kind: 'number', required: true },
  { path: 'lines.0.quantity', kind: 'number', required: true },
  { path: 'lines.0.amount', kind: 'number', required: true },
  { path: 'lines.0.taxCategory', kind: 'string', required: false, max: 100 },
  { path: 'payments', kind: 'array', required: false },
  { path: 'payments.0.sourceId', kind: 'id', required: true, max: 100 },
  { path: 'payments.0.txnDate', kind: 'date', required: true },
  { path: 'payments.0.amount', kind: 'number', required: true },
  { path: 'payments.0.reference', kind: 'string', required: false, max: 21 },
];

/** Strings that break naive code: quotes, backslashes, control and bidi characters, emoji, injections. */
export const nasty = fc.oneof(
  fc.constantFrom(
    "'",
    '"',
    '\\',
    "\\'",
    'O\'Brien \\ "Co"',
    "' OR RealmId != '",
    "'; DROP TABLE links;--",
    '\u0000',
    '\u202eevil',
    '🧾💸',
    'ﬁ',
    'Ω≈ç√',
    '%00',
    '../..',
    '${process.env}',
    '<script>alert(1)</script>',
    'A'.repeat(5000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const notNumber = fc.oneof(
  fc.constantFrom('300', '', 'NaN', '1e309', '0x10'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** Up to ~1 MB of text (most of it far smaller). */
export const huge = (min: number) =>
  fc
    .oneof(
      { weight: 5, arbitrary: fc.integer({ min: min + 1, max: min + 2_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_000_000 }) },
    )
    .chain((n) => fc.constantFrom('x', 'é', '🧾', "'\\").map((c) => c.repeat(Math.ceil(n / [...c].length))));

const segmentsOf = (path: string) => path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function setAt(doc: any, path: string, value: unknown) {
  const segs = segmentsOf(path);
  let at = doc;
  for (const s of segs.slice(0, -1)) at = at[s];
  at[segs[segs.length - 1]] = value;
}

function deleteAt(doc: any, path: string) {
  const segs = segmentsOf(path);
  let at = doc;
  for (const s of segs.slice(0, -1)) at = at[s];
  delete at[segs[segs.length - 1]];
}

/** One change that makes a valid document invalid for sure, with the field the API must name. */
export const mutation: fc.Arbitrary<Mutation> = fc.constantFrom(...fields).chain((f) => {
  const set = (what: string) => (value: unknown) => ({
    path: f.path,
    what,
    apply: (d: any) => setAt(d, f.path, value),
  });
  const options: fc.Arbitrary<Mutation>[] = [];
  if (f.required)
    options.push(fc.constant({ path: f.path, what: 'missing', apply: (d: any) => deleteAt(d, f.path) }));
  if (f.kind === 'object') {
    options.push(
      fc
        .oneof(
          notString.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
          nasty,
        )
        .map(set('wrong type')),
    );
    options.push(
      fc
        .tuple(
          fc.string({ minLength: 1, maxLength: 12 }),
          fc.anything({ maxDepth: 1 }).filter((v) => v !== undefined),
        )
        .map(([key, value]) => ({
          path: f.path,
          what: 'unknown key',
          apply: (d: any) => setAt(d, `${f.path}.zz${key.replace(/\./g, '')}`, value),
        })),
    );
  }
  if (f.kind === 'array')
    options.push(fc.oneof(fc.integer(), fc.constant('x'), fc.constant({})).map(set('wrong type')));
  if (f.kind === 'number') options.push(notNumber.map(set('wrong type')));
  if (['string', 'id', 'name', 'date', 'enum'].includes(f.kind))
    options.push(notString.map(set('wrong type')));
  if (f.max) options.push(huge(f.max).map(set('too long')));
  if (f.kind === 'id') {
    // A space or anything outside printable ASCII (plus quotes and backslashes around it) is never a valid id.
    options.push(
      fc
        .tuple(nasty, fc.constantFrom(' ', 'é', '\t', '🧾'))
        .map(([s, bad]) => set('bad characters')(`${s}${bad}'\\`)),
    );
  }
  if (f.kind === 'name') options.push(nasty.map((s) => set('forbidden character')(`${s}:\t${s}`)));
  if (f.kind === 'date')
    options.push(
      fc.constantFrom('2026-02-30', '02/11/2026', '2026-13-01', '', "2026-11-02'").map(set('not a date')),
    );
  if (f.kind === 'enum')
    options.push(
      nasty.filter((s) => !['Service', 'NonInventory', 'Inventory'].includes(s)).map(set('not allowed')),
    );
  if (f.path === 'lines') options.push(fc.constant([]).map(set('empty')));
  if (f.path === 'lines.0.amount')
    options.push(fc.constantFrom(299.99, -1, 0.001).map(set('not quantity × price')));
  if (f.path === 'payments.0.amount')
    options.push(fc.constantFrom(10_000, 0, -5).map(set('more than the total or not positive')));
  if (f.path === 'invoice.dueDate')
    options.push(fc.constant('2026-01-01').map(set('before the invoice date')));
  return fc.oneof(...options);
});

/** Valid-but-unusual text put into free-text fields next to the mutation, so it travels through the whole stack. */
export const noise = fc.record({ displayName: nasty, memo: nasty }, { requiredKeys: [] });

/** A valid document (one payment) for `realmId`, then mutated. */
export function mutatedDocument(
  base: SyncDocument,
  m: Mutation,
  extra: { displayName?: string; memo?: string },
): unknown {
  const doc: any = structuredClone(base);
  const clean = (s?: string) =>
    s
      ?.replace(/[:\t\n\r]/g, '')
      .trim()
      .slice(0, 90);
  if (clean(extra.displayName)) doc.customer.displayName = clean(extra.displayName);
  if (clean(extra.memo)) doc.invoice.memo = clean(extra.memo);
  m.apply(doc);
  return doc;
}
