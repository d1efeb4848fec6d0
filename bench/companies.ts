import type { System } from '../test/support/system';
import { drainBacklog, type Drained } from './drain';
import type { Figure } from './measure';
import { cpuMeter, describeCpu, systemProcesses } from './process-cpu';

/** A drain with the CPU of each of the system's processes over it. */
async function drainWithCpu(system: System, companies: number, perCompany: number, timeoutMs: number) {
  let cpu = '';
  const drained: Drained = await drainBacklog(
    system,
    companies,
    perCompany,
    timeoutMs,
    'operations',
    async (drain) => {
      const meter = await cpuMeter(() => systemProcesses(system));
      const result = await drain();
      cpu = describeCpu(await meter.stop());
      return result;
    },
  );
  const total = drained.rates.reduce((s, r) => s + r.perMinute, 0);
  return { ...drained, total, cpu };
}

const outcome = (d: Awaited<ReturnType<typeof drainWithCpu>>, perCompany: number, companies: number) =>
  `${d.tookMs === null ? `NOT drained (${d.done - companies}/${companies * perCompany})` : `drained in ${(d.tookMs / 1000).toFixed(0)} s`}, 429s ${d.throttled.reduce((a, b) => a + b, 0)}`;

/**
 * Ten companies at once against one: the same steady-state drain (bench/drain.ts), first for one company
 * then for ten in the same run, on the same system; the figure is the ten companies' total QuickBooks
 * operations per minute ÷ 10 × the single company's, with the CPU each process used during each drain,
 * so what limits the ten shows.
 */
export async function measureCompanies(
  system: System,
  companies: number,
  single: number,
  perCompany: number,
  timeoutMs: number,
): Promise<Figure[]> {
  const one = await drainWithCpu(system, 1, single, timeoutMs);
  const ten = await drainWithCpu(system, companies, perCompany, timeoutMs);
  const ratio = ten.total / (companies * one.total);
  const lowest = Math.min(...ten.rates.map((r) => r.perMinute));
  const method =
    'steady-state backlog (customer and items linked, no payments), 150 ms simulator latency; operations/min = non-429 operations (a batch request counts its items) in each company’s simulator request log between its first request + 20 s and its 95th-percentile request; CPU from /proc/<pid>/stat (utime + stime) of each process over the drain, in % of one core; Postgres = the backends serving this database (pg_stat_activity); “others” is the machine’s CPU used by anything else, which distorts both drains when it is not near 0';
  return [
    {
      figure: 'One company: QuickBooks operations/minute',
      value: `${Math.round(one.total)} ops/min (${outcome(one, single, 1)})`,
      how: `1 company × ${single} invoices; CPU: ${one.cpu}; ${method}`,
    },
    {
      figure: `${companies} companies at once: total operations/minute ÷ (${companies} × one company’s)`,
      value: `${ratio.toFixed(2)} (${Math.round(ten.total)} ops/min in total, ${Math.round(ten.total / companies)} per company, lowest ${Math.round(lowest)}; ${outcome(ten, perCompany, companies)})`,
      how: `${companies} companies × ${perCompany} invoices enqueued at once, after the one-company drain in the same run; CPU: ${ten.cpu}; ${method}`,
    },
  ];
}
