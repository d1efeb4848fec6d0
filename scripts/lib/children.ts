import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Child processes that are all stopped together, SIGTERM first and SIGKILL after a grace period. */
export class Children {
  private readonly running = new Set<ChildProcess>();

  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** A TypeScript entry point run through tsx, without npx's extra process in between. */
  tsx(entry: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
    return this.spawn(process.execPath, ['--import', 'tsx', entry, ...args], options);
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
