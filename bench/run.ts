import { spawn } from 'node:child_process';
import path from 'node:path';
import { startSystem, type System } from '../test/support/system';
import { measureApiThroughput } from './api-throughput';
import { measureBackfill } from './backfill';
import { measureBudget } from './budget';
import { measureThrottle } from './throttle';
import { measureCalls } from './calls';
import { measureCompanies } from './companies';
import { measureBatchDrain } from './batch-drain';
import { measureDrain } from './drain';
import type { Figure } from './measure';
import { measurePaused } from './paused';
import { resultsFile, table, writeResults } from './report';
import { startBenchServices } from './services';
import { measureReconcile } from './reconcile';
import { measureChanges } from './changes';
import { runSuite } from './suites';

/**
 * `npm run bench [-- part …]`: starts its own services, runs the chosen parts (all by default), prints
 * the table and rewrites each part's section of bench/RESULTS.md (README.md links there). Parts: calls, api, drain, drain10,
 * drain2000, batchdrain, companies, backfill, paused, reconcile, changes, sim, chaos, fuzz, budget, throttle. Sizes:
 * BENCH_DRAIN (1,200), BENCH_BATCH_DRAIN (2,000), BENCH_DRAIN10 (per company, 150), BENCH_COMPANIES_ONE (300) and
 * BENCH_COMPANIES_EACH (150), BENCH_BACKFILL (500), BENCH_PAUSED (5,000), BENCH_PAUSED_TIMEOUT_S (1,200),
 * BENCH_CHANGES (5), CHAOS_*, FUZZ_COUNT, BENCH_BUDGET_PROCESSES (4), BENCH_BUDGET_LOOPS (4), BENCH_BUDGET_SECONDS (5).
 */
const parts = [
  'calls',
  'api',
  'sim',
  'drain',
  'drain10',
  'drain2000',
  'batchdrain',
  'companies',
  'backfill',
  'paused',
  'reconcile',
  'changes',
  'chaos',
  'fuzz',
  'budget',
  'throttle',
] as const;
type Part = (typeof parts)[number];
const titles: Record<Part, string> = {
  calls: 'QuickBooks calls and Temporal history per sync',
  api: 'API enqueue throughput, as a ratio to raw Temporal calls (#16)',
  sim: 'Simulator throughput',
  drain: 'Backlog drain, one company',
  drain10: 'Backlog drain, ten companies',
  drain2000: 'Backlog drain, one company, 2,000 invoices',
  batchdrain: '#16 Backlog drain with batch writes, one company, 2,000 invoices',
  companies: 'Ten companies at once, as a ratio to ten times one, with CPU per process (#16)',
  backfill: 'First-time invoices: QuickBooks calls per invoice on a backfill (#16)',
  paused: 'Thousands of syncs paused, then reconnected',
  reconcile: 'Reconciling a large company',
  changes: 'Change tracking: sweep calls and time to a drift report',
  chaos: 'Full chaos suite',
  fuzz: 'Full API fuzz',
  budget: 'Per-company request budget at 1, 100 and 1,000 companies (#16)',
  throttle: 'Backing off by measure after a 429 (#16)',
};
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function simulatorRps(): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'simulator-rps.ts')], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      const lines = out.trim().split('\n');
      const result = (() => {
        try {
          return JSON.parse(lines[lines.length - 1]);
        } catch {
          return null;
        }
      })();
      if (code !== 0 || !result) return reject(new Error(`bench/simulator-rps.ts failed (${code}): ${out}`));
      resolve({
        figure: 'Simulator requests/second',
        value: `${result.rps} req/s (p50 ${result.p50ms} ms, p99 ${result.p99ms} ms, ${result.errors} errors)`,
        how: `bench/simulator-rps.ts: ${lines.find((l) => l.startsWith('Measured'))?.replace(/^Measured: /, '') ?? ''}`,
      });
    });
  });
}

async function main() {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(parts as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${parts.join(', ')}`);
  const chosen: Part[] = asked.length ? (asked as Part[]) : [...parts];
  console.log(`bench: ${chosen.join(', ')}`);
  const services = await startBenchServices();
  const figures: Figure[] = [];
  const measured: { part: Part; title: string; figures: Figure[] }[] = [];
  let system: System | undefined;
  const fresh = async (env?: Record<string, string>) => {
    await system?.stop();
    system = await startSystem({ env });
    return system;
  };
  const stop = async () => {
    await system?.stop();
    await services.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    for (const part of chosen) {
      console.log(`\n== ${part}`);
      const add = (rows: Figure[]) => {
        for (const r of rows) console.log(`  ${r.figure}: ${r.value}\n    (${r.how})`);
        figures.push(...rows);
        measured.push({ part, title: titles[part], figures: rows });
      };
      try {
        if (part === 'calls') add(await measureCalls(await fresh()));
        if (part === 'api') add(await measureApiThroughput(await fresh()));
        if (part === 'sim') add([await simulatorRps()]);
        if (part === 'drain')
          add(await measureDrain(await fresh(), 1, env('BENCH_DRAIN', 1_200), 8 * 60_000));
        if (part === 'drain10')
          add(await measureDrain(await fresh(), 10, env('BENCH_DRAIN10', 150), 8 * 60_000));
        if (part === 'drain2000') add(await measureDrain(await fresh(), 1, 2_000, 10 * 60_000));
        if (part === 'companies')
          add(
            await measureCompanies(
              await fresh(),
              10,
              env('BENCH_COMPANIES_ONE', 300),
              env('BENCH_COMPANIES_EACH', 150),
              8 * 60_000,
            ),
          );
        if (part === 'backfill')
          add(await measureBackfill(await fresh(), env('BENCH_BACKFILL', 500), 20 * 60_000));
        if (part === 'batchdrain') {
          const backlog = env('BENCH_BATCH_DRAIN', 2_000);
          // A worker sized for its backlog: every sync of it stays cached (the default, 100, suits pauses).
          const cache = env('BENCH_BATCH_DRAIN_CACHE', backlog);
          const worker = { WORKER_MAX_CACHED_WORKFLOWS: String(cache) };
          add(await measureBatchDrain(await fresh(worker), backlog, 15 * 60_000, cache));
        }
        if (part === 'paused')
          add(
            await measurePaused(
              await fresh(),
              env('BENCH_PAUSED', 5_000),
              env('BENCH_PAUSED_TIMEOUT_S', 1_200) * 1000,
            ),
          );
        if (part === 'reconcile') {
          const r = await measureReconcile(env('BENCH_CUSTOMERS', 2_000));
          add([
            {
              figure: `Reconcile ${r.customers} customers, ${r.invoices} invoices, ${r.payments} payments`,
              value: `${r.qboCalls} QuickBooks calls (${r.callsPerRecordPercent} % of one per record), ${(r.ms / 1000).toFixed(1)} s, ${r.exact ? 'every planted mismatch found' : 'MISSED planted mismatches'}`,
              how: 'bench/reconcile.ts: the real reconcile code and QuickBooks client against the simulator (in process, seeded state) and Postgres; calls from the simulator counters',
            },
          ]);
        }
        if (part === 'budget')
          add(
            await measureBudget({
              processes: env('BENCH_BUDGET_PROCESSES', 4),
              loops: env('BENCH_BUDGET_LOOPS', 4),
              durationMs: env('BENCH_BUDGET_SECONDS', 5) * 1000,
            }),
          );
        if (part === 'throttle') add(await measureThrottle());
        if (part === 'changes') {
          await system?.stop();
          system = undefined;
          add(await measureChanges(env('BENCH_CHANGES', 5)));
        }
        if (part === 'chaos') {
          await system?.stop();
          system = undefined;
          const sizes = {
            CHAOS_SIZE: process.env.CHAOS_SIZE ?? '500',
            CHAOS_KILLS: process.env.CHAOS_KILLS ?? '20',
            CHAOS_FAULT_RATE: process.env.CHAOS_FAULT_RATE ?? '0.2',
          };
          add([await runSuite('test/chaos/chaos.test.ts', sizes, 'Full chaos suite')]);
        }
        if (part === 'fuzz') {
          await system?.stop();
          system = undefined;
          add([
            await runSuite(
              'test/fuzz/api-fuzz.test.ts',
              { FUZZ_COUNT: process.env.FUZZ_COUNT ?? '10000' },
              'Full API fuzz',
            ),
          ]);
        }
      } catch (err) {
        console.error(`part ${part} failed: ${(err as Error).stack}`);
        figures.push({
          figure: `${part} (failed)`,
          value: 'error',
          how: (err as Error).message.slice(0, 300),
        });
      }
    }
  } finally {
    await stop();
  }
  console.log(`\n${table(figures)}`);
  // A part that failed keeps its previous section.
  await writeResults(measured, parts);
  console.log(
    `\n${path.relative(process.cwd(), resultsFile)}: ${measured.map((m) => m.part).join(', ') || 'nothing'} updated.`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
