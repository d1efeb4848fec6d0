import { randomBytes } from 'node:crypto';
import type { SyncDocument } from '../../workflows/contract';

/**
 * A realistic day of invoices for the demo company, with a few documents that hit the patterns people
 * meet in QuickBooks: a customer whose name another party already uses, an item made inactive in
 * QuickBooks, a late invoice dated in a closed period. Customers and items keep stable source ids, so
 * a second run reuses what the first one created; invoices are new each run.
 */
const CUSTOMERS = [
  'Bayside Bakery',
  'Hilltop Dental',
  'Marlow & Sons Hardware',
  'Northwind Florist',
  'Oak Street Yoga',
  'Pine Ridge Vet Clinic',
  'Quarry Lane Cafe',
  'Riverside Books',
  'Summit Cycles',
  'Tidewater Realty',
];

const ITEMS: Array<{ name: string; type: 'Service' | 'NonInventory'; unitPrice: number }> = [
  { name: 'Lawn care visit', type: 'Service', unitPrice: 65 },
  { name: 'Hedge trimming', type: 'Service', unitPrice: 40 },
  { name: 'Irrigation check', type: 'Service', unitPrice: 85 },
  { name: 'Mulch (bag)', type: 'NonInventory', unitPrice: 6.5 },
  { name: 'Planter box', type: 'NonInventory', unitPrice: 34 },
  { name: 'Seasonal planting', type: 'Service', unitPrice: 120 },
];

/** The seeded demo records the patterns use: a customer and an item the demo company already has. */
export const COLLIDING_CUSTOMER = 'Cool Cars';
export const INACTIVE_ITEM = 'Pest Control';

export type DemoCase = 'regular' | 'name_collision' | 'inactive_item' | 'closed_period';

export interface DemoDay {
  documents: SyncDocument[];
  cases: DemoCase[];
  /** The books are closed through this date; the closed_period document is dated before it. */
  bookCloseDate: string;
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const money = (n: number) => Math.round(n * 100) / 100;

export function demoDay(realmId: string, count: number, now = Date.now()): DemoDay {
  const tag = randomBytes(2).toString('hex');
  const today = isoDay(now);
  const day = 86_400_000;
  const special = new Map<number, DemoCase>();
  if (count >= 4) {
    special.set(Math.floor(count / 4), 'name_collision');
    special.set(Math.floor(count / 2), 'inactive_item');
    special.set(Math.floor((3 * count) / 4), 'closed_period');
  }
  const documents: SyncDocument[] = [];
  const cases: DemoCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = special.get(i) ?? 'regular';
    const name = kind === 'name_collision' ? COLLIDING_CUSTOMER : CUSTOMERS[i % CUSTOMERS.length];
    const picks = [ITEMS[i % ITEMS.length], ...(i % 3 === 0 ? [ITEMS[(i + 2) % ITEMS.length]] : [])];
    const lines = picks.map((item, n) => {
      const quantity = 1 + ((i + n) % 4);
      return {
        item: { sourceId: `demo-item-${slug(item.name)}`, ...item },
        quantity,
        amount: money(quantity * item.unitPrice),
      };
    });
    if (kind === 'inactive_item') {
      lines.push({
        item: { sourceId: 'demo-item-pest-control', name: INACTIVE_ITEM, type: 'Service', unitPrice: 35 },
        quantity: 1,
        amount: 35,
      });
    }
    const total = money(lines.reduce((sum, l) => sum + l.amount, 0));
    const txnDate = kind === 'closed_period' ? isoDay(now - 75 * day) : today;
    const paid = i % 5 === 0 ? total : i % 5 === 1 ? money(total / 2) : 0;
    documents.push({
      realmId,
      customer: {
        // The colliding customer is another party than the one QuickBooks already has under that name.
        sourceId: kind === 'name_collision' ? 'demo-cust-cool-cars-llc' : `demo-cust-${slug(name)}`,
        displayName: name,
        email: `accounts@${slug(name)}.example`,
      },
      invoice: {
        sourceId: `demo-${tag}-${i + 1}`,
        version: 1,
        docNumber: `D${tag}-${i + 1}`,
        txnDate,
        dueDate: isoDay(Date.parse(txnDate) + 30 * day),
        memo: kind === 'closed_period' ? 'Late invoice for an earlier job' : 'Thank you for your business',
      },
      lines,
      payments: paid ? [{ sourceId: `demo-${tag}-${i + 1}-pay`, txnDate, amount: paid, method: 'card' }] : [],
    });
    cases.push(kind);
  }
  return { documents, cases, bookCloseDate: isoDay(now - 60 * day) };
}
