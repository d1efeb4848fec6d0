import { setTimeout as sleep } from 'node:timers/promises';

/**
 * First-come turns per key inside one process: `take(key)` resolves once every earlier taker of that key
 * has called its `done`. The budget uses it so that one waiter per company (and kind) asks the database at
 * a time, not every waiting activity of the process. `onWait` is called every `heartbeatMs` while waiting.
 */
export function createLocalTurns(onWait?: () => void, heartbeatMs = 5_000) {
  const tails = new Map<string, Promise<void>>();
  return {
    async take(key: string): Promise<() => void> {
      const before = tails.get(key) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      const tail = before.then(() => mine);
      tails.set(key, tail);
      let waiting = true;
      void before.then(() => (waiting = false));
      while (waiting) {
        await Promise.race([before, sleep(heartbeatMs)]);
        if (waiting) onWait?.();
      }
      return () => {
        done();
        if (tails.get(key) === tail) tails.delete(key);
      };
    },
  };
}
