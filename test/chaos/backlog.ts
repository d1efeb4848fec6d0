import type { SyncDocument } from '../../workflows/contract';

/** A small deterministic PRNG (mulberry32) so a failing backlog can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (v: number) => Math.round(v * 100) / 100;

export interface BacklogOptions {
  realmId: string;
  size: number;
  /** Run-unique tag so source ids and names never collide with other runs on the same database. */
  tag: string;
  seed: number;
  /** Documents per customer (on average); several documents share each customer. */
  perCustomer?: number;
  /** Shared catalogue size; every document's lines come from it. */
  items?: number;
  /** Payments per document: [min, max]. */
  payments?: [number, number];
}

/**
 * A backlog of invoice documents for one company: customers and items shared between documents, one or
 * two lines each, and payments that never exceed the invoice total. Deterministic for a seed.
 */
export function buildBacklog(options: BacklogOptions): SyncDocument[] {
  const random = seededRandom(options.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const customerCount = Math.max(1, Math.ceil(options.size / (options.perCustomer ?? 4)));
  const [minPayments, maxPayments] = options.payments ?? [1, 2];
  const customers = Array.from({ length: customerCount }, (_, i) => ({
    sourceId: `cust-${options.tag}-${i}`,
    displayName: `Chaos ${options.tag} customer ${i}`,
    email: `c${i}-${options.tag}@example.com`,
  }));
  const items = Array.from({ length: options.items ?? 6 }, (_, i) => ({
    sourceId: `item-${options.tag}-${i}`,
    name: `Chaos ${options.tag} item ${i}`,
    type: 'Service' as const,
    unitPrice: cents(10 + i * 12.25),
  }));
  return Array.from({ length: options.size }, (_, n) => {
    const lineItems = [...new Set([pick(items.length), pick(items.length)])].slice(0, 1 + pick(2));
    const lines = lineItems.map((i) => {
      const quantity = 1 + pick(4);
      return {
        item: items[i],
        quantity,
        amount: cents(quantity * items[i].unitPrice),
        taxCategory: 'exempt',
      };
    });
    const total = cents(lines.reduce((sum, l) => sum + l.amount, 0));
    const paymentCount = minPayments + pick(maxPayments - minPayments + 1);
    // Each payment is a whole-cent share of at most half the total, so their sum never exceeds it.
    const payments = Array.from({ length: paymentCount }, (_, p) => ({
      sourceId: `pay-${options.tag}-${n}-${p}`,
      txnDate: `2026-11-${String(10 + p).padStart(2, '0')}`,
      amount: Math.max(
        0.01,
        cents(Math.floor((total / 2) * (0.2 + random() * 0.8) * 100) / 100 / paymentCount),
      ),
    }));
    return {
      realmId: options.realmId,
      customer: customers[n % customerCount],
      invoice: {
        sourceId: `inv-${options.tag}-${n}`,
        version: 1,
        docNumber: `C${options.tag}-${n}`.slice(0, 21),
        txnDate: '2026-11-02',
      },
      lines,
      payments,
    };
  });
}

/** What QuickBooks should hold for a backlog: per customer display name, the open balance. */
export function expectedBalances(docs: SyncDocument[]): Map<string, number> {
  const balances = new Map<string, number>();
  for (const doc of docs) {
    const total = doc.lines.reduce((sum, l) => sum + l.amount, 0);
    const paid = doc.payments.reduce((sum, p) => sum + p.amount, 0);
    balances.set(
      doc.customer.displayName,
      cents((balances.get(doc.customer.displayName) ?? 0) + total - paid),
    );
  }
  return balances;
}
