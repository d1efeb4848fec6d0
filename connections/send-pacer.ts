import { setTimeout as sleep } from 'node:timers/promises';

export interface SendPacer {
  /** Resolves when one more request to the company may leave this process now; counts it as sent. */
  pace(realmId: string): Promise<void>;
}

/**
 * Keeps this process's requests to each company under `perWindow` in any `windowMs`, counted when
 * they leave rather than when the shared budget granted them. Grants are spaced on the database's clock,
 * but a process whose event loop stalls (a busy worker replaying workflows) receives several grants late
 * and would send them together: QuickBooks counts arrivals, and 11 in one second are refused
 * (bench/RESULTS.md, the 5,000 paused run). The shared budget still bounds all processes together.
 */
export function createSendPacer(perWindow: number, windowMs: number): SendPacer {
  const sent = new Map<string, number[]>();
  return {
    async pace(realmId) {
      for (;;) {
        const now = Date.now();
        const recent = (sent.get(realmId) ?? []).filter((at) => now - at < windowMs);
        if (recent.length < perWindow) {
          recent.push(now);
          sent.set(realmId, recent);
          return;
        }
        sent.set(realmId, recent);
        await sleep(recent[0] + windowMs - now + 1);
      }
    },
  };
}
