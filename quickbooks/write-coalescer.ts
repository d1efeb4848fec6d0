import type { RealmBudget, RequestOutcome } from './ports';

/** Sends writes once the coalescer holds a budget slot for them. */
export interface CoalescedSender<W, R> {
  /** One write, as its own request. */
  one(realmId: string, write: W): Promise<R>;
  /** Several writes in one batch request; one outcome per write, in order (never throws for one item). */
  many(realmId: string, writes: W[]): Promise<PromiseSettledResult<R>[]>;
}

export interface WriteCoalescerOptions<W, R> {
  budget: RealmBudget;
  sender: CoalescedSender<W, R>;
  /** Most writes in one batch request (QuickBooks: 30). */
  maxItems: number;
  /** Single-request senders per company in this process: more would only wait for the same slots. */
  maxSenders: number;
  /** What the budget is told when a request failed with `err` (a throttle holds the whole company). */
  outcomeOf?: (err: unknown) => RequestOutcome | undefined;
  /** Called every `beatMs` in the context of each waiting write (the worker heartbeats its activity). */
  onWaiting?: () => void;
  beatMs?: number;
  /**
   * Longest a write may wait in the queue before it is failed unsent (default 4 minutes). Keep it under the
   * activity's start-to-close timeout: once that attempt is abandoned its retry may look for the record, find
   * nothing and write again, so the abandoned attempt's write must never go out after it. A batch item
   * carries no requestid of its own, so QuickBooks could not catch that second write.
   */
  maxWaitMs?: number;
  /** The error an expired write fails with: it was never sent. */
  expired?: (waitedMs: number) => unknown;
}

interface Entry<W, R> {
  write: W;
  queuedAt: number;
  /** Epoch ms after which it must not be sent. */
  sendBy: number;
  resolve(value: R): void;
  reject(err: unknown): void;
}

interface CompanyQueue<W, R> {
  waiting: Entry<W, R>[];
  singles: number;
  batching: boolean;
}

/** What a coalescer has sent so far, for logs and tests. */
export interface CoalescerStats {
  singles: number;
  batches: number;
  batchedWrites: number;
}

/**
 * Gathers the writes (and query pages, which a batch carries too) waiting in this process for a company
 * into batch requests, in front of the shared budget. Each write first waits for a single request, as without coalescing: with no backlog it is sent
 * as soon as the budget grants a slot (no added latency). Only when more writes wait than this process's
 * single senders can take does one batch sender ask the budget for a batch request (`acquire({ batch })`,
 * which also takes one of the company's batches per minute, across every process) and carry up to
 * `maxItems` of the oldest waiting writes. Each write's outcome goes back to its own caller.
 * Writes are never split or merged: the caller decides what one write is, so a write that needs another's
 * result (an invoice needs its customer's id) is only submitted once that result is known.
 */
export function createWriteCoalescer<W, R>(options: WriteCoalescerOptions<W, R>) {
  const { budget, sender, maxItems, maxSenders } = options;
  const maxWaitMs = options.maxWaitMs ?? 240_000;
  const queues = new Map<string, CompanyQueue<W, R>>();
  const stats: CoalescerStats = { singles: 0, batches: 0, batchedWrites: 0 };

  const queueOf = (realmId: string) => {
    let q = queues.get(realmId);
    if (!q) {
      q = { waiting: [], singles: 0, batching: false };
      queues.set(realmId, q);
    }
    return q;
  };

  function pump(realmId: string, q: CompanyQueue<W, R>): void {
    while (q.singles < maxSenders && q.singles < q.waiting.length) {
      q.singles++;
      void runSingles(realmId, q);
    }
    if (!q.batching && maxItems > 1 && q.waiting.length > q.singles) {
      q.batching = true;
      void runBatches(realmId, q);
    }
    if (q.waiting.length === 0 && q.singles === 0 && !q.batching) queues.delete(realmId);
  }

  async function runSingles(realmId: string, q: CompanyQueue<W, R>): Promise<void> {
    try {
      while (q.waiting.length > 0) {
        const release = await acquireOrFail(realmId, q, false);
        if (!release) continue;
        const [entry] = take(q, 1);
        let outcome: RequestOutcome | undefined;
        try {
          if (entry) {
            stats.singles++;
            await sender.one(realmId, entry.write).then(entry.resolve, (err: unknown) => {
              outcome = options.outcomeOf?.(err);
              entry.reject(err);
            });
          }
        } finally {
          await release(outcome).catch(() => undefined);
        }
      }
    } finally {
      q.singles--;
      pump(realmId, q);
    }
  }

  async function runBatches(realmId: string, q: CompanyQueue<W, R>): Promise<void> {
    try {
      while (q.waiting.length > q.singles) {
        const release = await acquireOrFail(realmId, q, true);
        if (!release) continue;
        const entries = take(q, maxItems);
        let outcome: RequestOutcome | undefined;
        try {
          if (entries.length > 0) {
            stats.batches++;
            stats.batchedWrites += entries.length;
            const outcomes = await sender
              .many(
                realmId,
                entries.map((e) => e.write),
              )
              .catch((err: unknown) =>
                entries.map((): PromiseSettledResult<R> => ({ status: 'rejected', reason: err })),
              );
            entries.forEach((e, i) => {
              const settled = outcomes[i];
              if (settled?.status === 'fulfilled') return e.resolve(settled.value);
              const reason: unknown = settled
                ? settled.reason
                : new Error('batch answered without this write');
              outcome ??= options.outcomeOf?.(reason);
              e.reject(reason);
            });
          }
        } finally {
          await release(outcome).catch(() => undefined);
        }
      }
    } finally {
      q.batching = false;
      pump(realmId, q);
    }
  }

  /** Up to `count` of the oldest waiting writes that may still be sent; expired ones fail unsent. */
  function take(q: CompanyQueue<W, R>, count: number): Entry<W, R>[] {
    const now = Date.now();
    const taken: Entry<W, R>[] = [];
    while (taken.length < count && q.waiting.length > 0) {
      const entry = q.waiting.shift()!;
      const waited = now - entry.queuedAt;
      if (now <= entry.sendBy) taken.push(entry);
      else
        entry.reject(
          options.expired?.(waited) ?? new Error(`write not sent: waited ${waited} ms for a slot`),
        );
    }
    return taken;
  }

  /** A budget failure (the database is down) fails the oldest waiting write rather than leaving it waiting. */
  async function acquireOrFail(realmId: string, q: CompanyQueue<W, R>, batch: boolean) {
    try {
      return await budget.acquire(realmId, batch ? { batch: true } : undefined);
    } catch (err) {
      q.waiting.shift()?.reject(err);
      return undefined;
    }
  }

  return {
    stats,
    /**
     * Queues `write` for the company and resolves with its own outcome. `sendBy` (epoch ms), when given, ends
     * its wait sooner than `maxWaitMs` would: the end of the activity attempt that wrote it.
     */
    submit(realmId: string, write: W, sendBy?: number): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const beat = options.onWaiting ? setInterval(options.onWaiting, options.beatMs ?? 1_000) : undefined;
        beat?.unref();
        const done = () => beat && clearInterval(beat);
        const q = queueOf(realmId);
        q.waiting.push({
          write,
          queuedAt: Date.now(),
          sendBy: Math.min(Date.now() + maxWaitMs, sendBy ?? Infinity),
          resolve: (value) => {
            done();
            resolve(value);
          },
          reject: (err) => {
            done();
            reject(err);
          },
        });
        pump(realmId, q);
      });
    },
  };
}

/** A write coalescer, as `createWriteCoalescer` builds it. */
export type WriteCoalescer<W, R> = ReturnType<typeof createWriteCoalescer<W, R>>;
