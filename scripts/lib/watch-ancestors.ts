import { readFileSync } from 'node:fs';

/** The start time field of /proc/<pid>/stat, which tells a process from a later one reusing its pid. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : fields[19];
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * Calls `onGone` once when any process above this one ends: `npm start` runs us as
 * npm → sh → tsx → node, and a SIGTERM to npm ends npm alone, leaving the rest re-parented but
 * running. Where /proc is missing, only the direct parent is watched (through process.ppid).
 */
export function watchAncestors(onGone: (pid: number) => void, intervalMs = 500): () => void {
  const ancestors: { pid: number; start: string | null }[] = [];
  for (let pid = process.ppid; pid > 1 && ancestors.length < 32; pid = parentOf(pid)) {
    ancestors.push({ pid, start: startTime(pid) });
  }
  const directParent = process.ppid;
  const timer = setInterval(() => {
    const gone =
      process.ppid !== directParent
        ? { pid: directParent }
        : ancestors.find((a) => a.start !== null && startTime(a.pid) !== a.start);
    if (!gone) return;
    clearInterval(timer);
    onGone(gone.pid);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
