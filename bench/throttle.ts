import { createDb } from '../db/client';
import { setUpDatabase } from '../db/migrate';
import { drainThrottledCompany } from '../test/support/throttled-drain';
import type { Figure } from './measure';

/**
 * The case from issue #16: a company that admits 60 requests a minute (another app uses the rest of its
 * limit) drains 80 invoices while our budget allows 490. Once with the old fixed 60 s hold after a 429 that
 * names no wait, once with the adaptive hold and probe; each time against the floor the company's limit
 * sets (its first 60 requests at once, the other 20 a minute after the first).
 */
export async function measureThrottle(invoices = 80, companyPerMinute = 60): Promise<Figure[]> {
  const url = process.env.DATABASE_URL!;
  await setUpDatabase(url);
  const db = createDb(url);
  const figures: Figure[] = [];
  try {
    const designs = [
      { name: 'fixed 60 s hold (before)', firstHoldMs: 60_000, maxHoldMs: 60_000 },
      { name: 'adaptive hold and probe', firstHoldMs: 2_000, maxHoldMs: 8_000 },
    ];
    for (const d of designs) {
      const r = await drainThrottledCompany({
        simulatorUrl: process.env.QBO_SIM_URL!,
        sql: db.sql,
        companyPerMinute,
        invoices,
        firstHoldMs: d.firstHoldMs,
        maxHoldMs: d.maxHoldMs,
      });
      const once = r.copies.every((n) => n === 1);
      console.log(`  ${d.name}: ${(r.ms / 1000).toFixed(1)} s, ${r.throttled} × 429`);
      figures.push({
        figure: `Throttled drain, ${invoices} invoices on a company admitting ${companyPerMinute}/min, ${d.name}`,
        value:
          `${(r.ms / 1000).toFixed(1)} s against a floor of ${(r.floorMs / 1000).toFixed(0)} s ` +
          `(floor ÷ time = ${(r.floorMs / r.ms).toFixed(2)}); ${r.throttled} × 429; ` +
          `${once ? 'every invoice once' : 'DUPLICATES OR MISSING'}`,
        how:
          `test/support/throttled-drain.ts: simulator company with ratePerMinute ${companyPerMinute}; ${invoices} Invoice creates started at once ` +
          `through the real QuickBooks client and the Postgres budget (490/min, 10/s, 10 in flight; first hold ${d.firstHoldMs} ms, longest ${d.maxHoldMs} ms), ` +
          `each retried after a 429 as its activity would be (after the first hold); time from the first request to the last invoice created; ` +
          `floor = the simulator's sliding minute: the ${companyPerMinute + 1}st request cannot be admitted before 60 s after the first; 429s and records from the simulator`,
      });
    }
  } finally {
    await db.close();
  }
  return figures;
}
