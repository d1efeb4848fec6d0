import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

const exitWithParent = path.join(__dirname, 'exit-with-parent.mjs');

/** Child processes that are all stopped together, SIGTERM first and SIGKILL after a grace period. */
export class Children {
  private readonly running = new Set<ChildProcess>();

  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /**
   * A TypeScript entry point run through tsx, without npx's extra process in between; it stops by
   * itself when this process dies without stopping it (scripts/lib/exit-with-parent.mjs).
   */
  tsx(entry: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
    return this.spawn(
      process.execPath,
      ['--import', 'tsx', '--import', exitWithParent, entry, ...args],
      options,
    );
  }

  /** SIGKILL to every child still running: the last resort on a synchronous exit path. */
  killAll(): void {
    for (const child of this.running)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all([...this.running].map((child) => stop(child, graceMs)));
  }
}

/** Stops one child and waits for it to exit. */
export function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
