import type { System } from '../test/support/system';
import {
  countSyncs,
  enqueueBatches,
  steadyDocument,
  temporalClient,
  waitCount,
  warmCompany,
  type Figure,
} from './measure';

/**
 * QuickBooks requests per minute a company gets in the middle of a drain, from the simulator's request
 * log; with `operations`, a batch request counts its items.
 */
async function steadyRate(
  system: System,
  realmId: string,
  since: number,
  count: 'requests' | 'operations' = 'requests',
) {
  const log: { at: string; status: number; items?: number }[] = (
    await system.sim('GET', `/_sim/companies/${realmId}/requests?since=0`)
  ).body.requests;
  const times = log
    .filter((e) => e.status !== 429 && Date.parse(e.at) >= since)
    .flatMap((e) => Array<number>(count === 'operations' ? (e.items ?? 1) : 1).fill(Date.parse(e.at)))
    .sort((a, b) => a - b);
  if (times.length < 2) return { perMinute: 0, peak60s: 0, requests: times.length, windowS: 0 };
  // Steady window: from 20 s after the first request (ramp-up) to the 95th-percentile request, so a
  // few stragglers at the end (retries, a slow last sync) do not dilute the drain rate.
  const from = times[0] + 20_000;
  const to = times[Math.floor((times.length - 1) * 0.95)];
  const inWindow = to > from ? times.filter((t) => t >= from && t <= to).length : times.length;
  const windowMs = to > from ? to - from : times[times.length - 1] - times[0];
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return {
    perMinute: (inWindow / windowMs) * 60_000,
    peak60s: peak,
    requests: times.length,
    windowS: windowMs / 1000,
  };
}

/** What one drain measured: per company rates and 429s, and how long it took (null: not drained in time). */
export interface Drained {
  rates: Awaited<ReturnType<typeof steadyRate>>[];
  throttled: number[];
  tookMs: number | null;
  done: number;
  enqueuedS: number;
}

/**
 * Drains a steady-state backlog (customer and items already linked, no payments: one QuickBooks write per
 * sync) for `companies` companies at once, with 150 ms simulator latency on every request. `around` wraps
 * the drain itself (from the first enqueue to the last completion), e.g. to measure CPU over it.
 */
export async function drainBacklog(
  system: System,
  companies: number,
  perCompany: number,
  timeoutMs: number,
  count: 'requests' | 'operations' = 'requests',
  around: <T>(drain: () => Promise<T>) => Promise<T> = (drain) => drain(),
): Promise<Drained> {
  const { client, close } = await temporalClient();
  try {
    const realms = await Promise.all(Array.from({ length: companies }, () => system.newCompany()));
    const templates = await Promise.all(realms.map(({ realmId }) => warmCompany(system, realmId, client)));
    const latency = await system.sim('POST', '/_sim/faults', { kind: 'latency', ms: 150 });
    if (latency.status !== 201) throw new Error(`latency fault refused: ${latency.text}`);
    try {
      const since = Date.now();
      const total = companies * perCompany + companies;
      const completed = async () => {
        let n = 0;
        for (const { realmId } of realms)
          n += await countSyncs(client, realmId, `ExecutionStatus = 'Completed'`);
        return n;
      };
      let enqueuedS = 0;
      const tookMs = await around(async () => {
        await Promise.all(
          templates.map((t) =>
            enqueueBatches(
              system,
              Array.from({ length: perCompany }, () => steadyDocument(t)),
            ),
          ),
        );
        enqueuedS = (Date.now() - since) / 1000;
        return waitCount(`drain ${companies}×${perCompany}`, completed, total, timeoutMs);
      });
      const done = await completed();
      const rates = await Promise.all(realms.map(({ realmId }) => steadyRate(system, realmId, since, count)));
      const throttled = await Promise.all(
        realms.map(
          async ({ realmId }) =>
            (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body.byStatus['429'] ?? 0,
        ),
      );
      return { rates, throttled, tookMs, done, enqueuedS };
    } finally {
      await system.sim('DELETE', '/_sim/faults');
    }
  } finally {
    await close();
  }
}

/** Part 3: a steady-state backlog drain (drainBacklog) for `companies` companies at once. */
export async function measureDrain(
  system: System,
  companies: number,
  perCompany: number,
  timeoutMs: number,
): Promise<Figure[]> {
  const {
    rates,
    throttled,
    tookMs: took,
    done,
    enqueuedS,
  } = await drainBacklog(system, companies, perCompany, timeoutMs);
  const avg = rates.reduce((s, r) => s + r.perMinute, 0) / rates.length;
  const min = Math.min(...rates.map((r) => r.perMinute));
  const seconds = took === null ? timeoutMs / 1000 : took / 1000;
  return [
    {
      figure: `Backlog drain, ${companies} compan${companies === 1 ? 'y' : 'ies'} × ${perCompany} invoices, 150 ms latency`,
      value:
        `${Math.round(avg)} req/min per company = ${Math.round((avg / 500) * 100)} % of 500 (lowest ${Math.round((min / 500) * 100)} %); ` +
        `peak 60 s window ${Math.max(...rates.map((r) => r.peak60s))}; 429s: ${throttled.reduce((a, b) => a + b, 0)}; ` +
        `${took === null ? `NOT drained: ${done - companies}/${companies * perCompany} after` : 'drained in'} ${seconds.toFixed(0)} s`,
      how:
        `steady-state backlog (customer + items linked, no payments) enqueued by batch in ${enqueuedS.toFixed(0)} s; rate = non-429 requests in the ` +
        `simulator's per-company request log between first+20 s and the 95th-percentile request (window ${Math.round(rates[0].windowS)} s); 429s from its counters`,
    },
  ];
}
