import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRealmBudget } from '../connections/realm-budget';
import { createDb } from '../db/client';
import { setUpDatabase } from '../db/migrate';
import { createRequestLogTables, createRequestLogBudget } from './budget-request-log';
import type { Figure } from './measure';

const designs = ['ceiling', 'request-log', 'row'] as const;
type Design = (typeof designs)[number];

/** Runs bench/budget-load.ts in `processes` processes at once; total grants/s and CPU ms per process. */
async function load(env: Record<string, string>, processes: number, durationMs: number) {
  const startAt = Date.now() + 3_000; // room for tsx to start every process
  const results = await Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<{ grants: number; cpuMs: number }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'budget-load.ts')], {
            cwd: path.join(__dirname, '..'),
            env: { ...process.env, ...env, START_AT: String(startAt), DURATION_MS: String(durationMs) },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
          child.once('exit', (code) => {
            try {
              if (code !== 0) throw new Error(`exit ${code}`);
              resolve(JSON.parse(out.trim().split('\n').pop()!));
            } catch (err) {
              reject(new Error(`bench/budget-load.ts failed: ${(err as Error).message} ${out}`));
            }
          });
        }),
    ),
  );
  const grants = results.reduce((n, r) => n + r.grants, 0);
  return { perSecond: grants / (durationMs / 1000), cpuMs: results.map((r) => r.cpuMs) };
}

/**
 * Grants per second of the per-company budget for 1, 100 and 1,000 companies, from several processes: the
 * one-row budget and the request-log design it replaced, each beside the ceiling measured in the same run
 * (bare `SELECT 1` round trips from the same processes and connections).
 */
export async function measureBudget(options: {
  processes: number;
  loops: number;
  durationMs: number;
}): Promise<Figure[]> {
  const url = process.env.DATABASE_URL!;
  await setUpDatabase(url);
  const db = createDb(url);
  await createRequestLogTables(db.sql);
  const figures: Figure[] = [];
  try {
    for (const companies of [1, 100, 1_000]) {
      const prefix = `bench${Date.now()}`;
      // Every company's row (or slots) exists before the clock starts, as they would in production.
      const warm = {
        row: createRealmBudget({ sql: db.sql, perMinute: 1e9, perSecond: 1e9, maxInFlight: 1_000 }),
        log: createRequestLogBudget(db.sql, {
          perMinute: 1e9,
          perSecond: 1e9,
          maxInFlight: 1_000,
          leaseMs: 60_000,
        }),
      };
      for (let i = 0; i < companies; i++) {
        await (
          await warm.row.acquire(`${prefix}-${i}`)
        )();
        await (
          await warm.log.acquire(`${prefix}-${i}`)
        )();
      }
      const rates = {} as Record<Design, { perSecond: number; cpuMs: number[] }>;
      for (const design of designs) {
        rates[design] = await load(
          {
            DESIGN: design,
            COMPANIES: String(companies),
            LOOPS: String(options.loops),
            PREFIX: prefix,
            DATABASE_URL: url,
          },
          options.processes,
          options.durationMs,
        );
        console.log(`  ${companies} companies, ${design}: ${rates[design].perSecond.toFixed(0)}/s`);
      }
      const ceiling = rates.ceiling.perSecond;
      const ratio = (d: Design) => (rates[d].perSecond / ceiling).toFixed(2);
      const fullRate = 490 / 60;
      figures.push({
        figure: `Budget grants/s, ${companies} ${companies === 1 ? 'company' : 'companies'}`,
        value:
          `one-row ${rates.row.perSecond.toFixed(0)}/s = ${ratio('row')} × ceiling; ` +
          `request log ${rates['request-log'].perSecond.toFixed(0)}/s = ${ratio('request-log')} × ceiling ` +
          `(ceiling ${ceiling.toFixed(0)} round trips/s); one-row ÷ request log = ` +
          `${(rates.row.perSecond / rates['request-log'].perSecond).toFixed(1)}; ` +
          `enough for ${Math.floor(rates.row.perSecond / fullRate)} companies at 490/min (request log ${Math.floor(rates['request-log'].perSecond / fullRate)})`,
        how:
          `bench/budget.ts: ${options.processes} processes × ${options.loops} loops (one connection each), ${options.durationMs / 1000} s per design, ` +
          `each loop takes and gives back a slot of a random one of ${companies} companies (grant + release; limits out of reach, so the budget's own cost is measured); ` +
          `one-row = connections/realm-budget.ts (one UPDATE per grant, one per release), request log = bench/budget-request-log.ts (the design it replaced: a transaction of 5–6 statements under an advisory lock, then the release); ` +
          `ceiling = bare SELECT 1 round trips from the same processes and loops; CPU ms per process one-row ${rates.row.cpuMs.join('/')}, request log ${rates['request-log'].cpuMs.join('/')}, ceiling ${rates.ceiling.cpuMs.join('/')}; ` +
          `Postgres on the same 2 cores, shared with other work`,
      });
    }
  } finally {
    await db.close();
  }
  return figures;
}
