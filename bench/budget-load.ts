/**
 * One process of the budget bench: LOOPS concurrent loops, each taking and giving back a budget slot of a
 * random one of COMPANIES companies (DESIGN `row`: connections/realm-budget.ts; `request-log`: the design it
 * replaced; `ceiling`: one bare `SELECT 1` round trip instead) from START_AT for DURATION_MS. Limits are
 * out of reach, so what is measured is the budget's own cost. Prints `{ grants, cpuMs }`.
 */
import { createRealmBudget } from '../connections/realm-budget';
import { createDb } from '../db/client';
import { createRequestLogBudget } from './budget-request-log';

async function main() {
  const env = (k: string) => {
    const v = process.env[k];
    if (v === undefined) throw new Error(`${k} is required`);
    return v;
  };
  const loops = Number(env('LOOPS'));
  const companies = Number(env('COMPANIES'));
  const prefix = env('PREFIX');
  const { sql, close } = createDb(env('DATABASE_URL'), { max: loops });
  const unlimited = { perMinute: 1e9, perSecond: 1e9, maxInFlight: 1_000, leaseMs: 60_000 };
  const design = env('DESIGN');
  const take: (realmId: string) => Promise<() => Promise<void>> =
    design === 'row'
      ? (
          (b) => (r) =>
            b.acquire(r)
        )(createRealmBudget({ sql, ...unlimited, batchesPerMinute: 1e9 }))
      : design === 'request-log'
        ? (
            (b) => (r) =>
              b.acquire(r)
          )(createRequestLogBudget(sql, unlimited))
        : async () => {
            await sql`SELECT 1`;
            return async () => undefined;
          };
  await sql`SELECT 1`; // connect before the start
  await new Promise((r) => setTimeout(r, Math.max(0, Number(env('START_AT')) - Date.now())));
  const cpu = process.cpuUsage();
  const deadline = Date.now() + Number(env('DURATION_MS'));
  let grants = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (Date.now() < deadline) {
        const release = await take(`${prefix}-${Math.floor(Math.random() * companies)}`);
        await release();
        grants++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ grants, cpuMs: Math.round((used.user + used.system) / 1000) })}\n`,
  );
  await close();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
