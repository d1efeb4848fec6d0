import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** One second of what the bench watches: the worker process, the machine, and the app's database. */
export interface Sample {
  at: number;
  /** Worker CPU over the last second, in % of one core. */
  workerCpu: number;
  workerRssMb: number;
  /** Machine-wide idle CPU over the last second, in % of all cores (the machine is shared). */
  machineIdle: number;
  /** Transactions committed in the app's database over the last second. */
  dbCommits: number;
}

const ticksPerSecond = 100; // USER_HZ on Linux

function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : 0;
}

function machineTicks(): { idle: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: cpu[3] + cpu[4], total: cpu.reduce((a, b) => a + b, 0) };
}

/**
 * Samples the worker (CPU, RSS), the machine's idle CPU and the database's commits every second until
 * stopped; `between` gives the samples of a time range, `peak`/`mean` summarise them.
 */
export function startSampler(pid: number, databaseUrl?: string) {
  const sql = databaseUrl ? postgres(databaseUrl, { max: 1 }) : null;
  const samples: Sample[] = [];
  const commits = async () => {
    if (!sql) return 0;
    const [row] = await sql`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`;
    return Number(row.xact_commit);
  };
  let last: { at: number; cpu: number; machine: ReturnType<typeof machineTicks>; commits: number } | null =
    null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const now = {
          at: Date.now(),
          cpu: processTicks(pid),
          machine: machineTicks(),
          commits: await commits(),
        };
        if (last) {
          const seconds = (now.at - last.at) / 1000;
          const total = now.machine.total - last.machine.total;
          samples.push({
            at: now.at,
            workerCpu: Math.round(((now.cpu - last.cpu) / ticksPerSecond / seconds) * 100),
            workerRssMb: rssMb(pid),
            machineIdle: total ? Math.round(((now.machine.idle - last.machine.idle) / total) * 100) : 0,
            // pg_stat_database is flushed by backends about once a second; the sum over a range is what counts.
            dbCommits: now.commits - last.commits,
          });
        }
        last = now;
      } catch {
        // the worker restarted or the database blinked: skip this second
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  return {
    between: (from: number, to = Infinity) => samples.filter((s) => s.at > from && s.at <= to),
    async stop() {
      stopped = true;
      await loop;
      await sql?.end();
    },
  };
}

export const peak = (samples: Sample[], key: keyof Omit<Sample, 'at'>) =>
  samples.reduce((m, s) => Math.max(m, s[key]), 0);
export const mean = (samples: Sample[], key: keyof Omit<Sample, 'at'>) =>
  samples.length ? Math.round(samples.reduce((m, s) => m + s[key], 0) / samples.length) : 0;
export const sum = (samples: Sample[], key: keyof Omit<Sample, 'at'>) =>
  samples.reduce((m, s) => m + s[key], 0);

/** The worker's Prometheus histogram `name` summed over its labels: cumulative count per bucket bound. */
export async function scrapeHistogram(metricsUrl: string, name: string): Promise<Map<number, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const le = line.match(/le="([^"]+)"/)?.[1];
    const value = Number(line.split(' ').pop());
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
}

/** Count and the upper bucket bound under which `q` of the observations between two scrapes fell. */
export function histogramDelta(before: Map<number, number>, after: Map<number, number>, q: number) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const count = delta[delta.length - 1] ?? 0;
  const index = delta.findIndex((c) => c >= q * count);
  return { count, atMost: count ? bounds[index] : 0 };
}

/** The worker's metrics address, from its environment (test/support/system.ts gives it a free port). */
export function workerMetricsUrl(pid: number): string | null {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const port = env.find((e) => e.startsWith('WORKER_METRICS_PORT='))?.split('=')[1];
  return port ? `http://127.0.0.1:${port}/metrics` : null;
}
