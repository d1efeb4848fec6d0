import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import type { System } from '../test/support/system';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The processes a run is made of, by role; Postgres may be several backends. */
export type ProcessRoles = Record<string, number[]>;

/** CPU seconds (user + system) a process has used so far, or 0 if it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function processes(): { pid: number; cmdline: string; environ: string }[] {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      let environ = '';
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      } catch {
        // another user's process: its cmdline is enough for the ones we look for by command line
      }
      found.push({ pid: Number(entry), cmdline, environ });
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/**
 * The pids of one system's processes: its worker and API (by entry point and task queue), the simulator
 * and the Temporal dev server (by the port in their command line) and the Postgres backends serving its
 * database (pg_stat_activity).
 */
export async function systemProcesses(system: System): Promise<ProcessRoles> {
  const all = processes();
  const byTaskQueue = (entry: string) =>
    all
      .filter(
        (p) => p.cmdline.includes(entry) && p.environ.includes(`TEMPORAL_TASK_QUEUE=${system.taskQueue}\0`),
      )
      .map((p) => p.pid);
  const simPort = new URL(system.simUrl).port;
  const temporalPort = process.env.TEMPORAL_ADDRESS!.split(':').pop()!;
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const backends = await sql<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
    return {
      worker: byTaskQueue('worker/main.ts'),
      API: byTaskQueue('api/server.ts'),
      simulator: all
        .filter((p) => p.cmdline.includes('simulator/main.ts') && p.cmdline.includes(`--port ${simPort}`))
        .map((p) => p.pid),
      'Temporal dev server': all
        .filter((p) => p.cmdline.includes('start-dev') && p.cmdline.includes(`--port ${temporalPort} `))
        .map((p) => p.pid),
      'Postgres (this database)': backends.map((b) => b.pid),
    };
  } finally {
    await sql.end();
  }
}

/** Busy and total jiffies of all cores so far (/proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Starts counting CPU for a system's processes; `stop()` gives each role's share of one core over the
 * window, plus `whole machine` (all processes of every user, in cores) so what others ran meanwhile shows.
 * The processes are listed again at the end: one that appeared meanwhile (a new Postgres backend of the
 * pool) counts all its CPU, which it spent in the window.
 */
export async function cpuMeter(
  list: () => Promise<ProcessRoles>,
): Promise<{ stop(): Promise<Record<string, number>> }> {
  const before = new Map<number, number>();
  for (const pids of Object.values(await list())) for (const pid of pids) before.set(pid, cpuSeconds(pid));
  const started = performance.now();
  const machine = machineJiffies();
  return {
    async stop() {
      const seconds = (performance.now() - started) / 1000;
      const now = machineJiffies();
      const roles = await list();
      const shares: Record<string, number> = {};
      for (const [role, pids] of Object.entries(roles))
        shares[role] = pids.reduce((s, p) => s + cpuSeconds(p) - (before.get(p) ?? 0), 0) / seconds;
      shares['whole machine'] = (now.busy - machine.busy) / TICKS_PER_SECOND / seconds;
      return shares;
    },
  };
}

/** "worker 81 %, API 3 %, …" (percent of one core), busiest first, then the whole machine's use. */
export function describeCpu(shares: Record<string, number>): string {
  const { 'whole machine': machine, ...ours } = shares;
  const own = Object.values(ours).reduce((a, b) => a + b, 0);
  return Object.entries(ours)
    .sort((a, b) => b[1] - a[1])
    .map(([role, share]) => `${role} ${Math.round(share * 100)} %`)
    .join(', ')
    .concat(
      machine === undefined
        ? ''
        : `; whole machine ${Math.round(machine * 100)} % of ${os.cpus().length * 100} % (others ${Math.max(0, Math.round((machine - own) * 100))} %)`,
    );
}
