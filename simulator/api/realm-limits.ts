import type { CompanyLimits } from '../state';

/** Times admitted into a sliding window, oldest first; trimmed in chunks so the hot path stays O(1) amortised. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly lengthMs: number) {}

  /** How many admitted times are inside the window ending at `now`. */
  count(now: number): number {
    const start = now - this.lengthMs;
    while (this.head < this.times.length && this.times[this.head] <= start) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

/** Why a request was refused, or null when it was admitted. */
export type Refusal = 'minute' | 'second' | 'concurrency' | 'batches' | null;

/**
 * Per-company throttle: sliding 60 s and 1 s windows of admitted requests, a 60 s window of admitted
 * batch requests, and an in-flight count. Rejected requests are not added to any window, as with
 * QuickBooks; a batch counts once in the request windows, whatever its size.
 */
export class RealmLimits {
  private minute = new SlidingWindow(60_000);
  private second = new SlidingWindow(1_000);
  private batches = new SlidingWindow(60_000);
  inFlight = 0;
  maxSeen = 0;

  /** Admits a request at `now` unless one of the limits is reached; says which one refused it. */
  tryAdmit(now: number, limits: Required<CompanyLimits>, batch: boolean): Refusal {
    if (this.minute.count(now) >= limits.ratePerMinute) return 'minute';
    if (this.second.count(now) >= limits.ratePerSecond) return 'second';
    if (this.inFlight >= limits.maxConcurrent) return 'concurrency';
    if (batch && this.batches.count(now) >= limits.batchesPerMinute) return 'batches';
    this.minute.add(now);
    this.second.add(now);
    if (batch) this.batches.add(now);
    this.inFlight++;
    if (this.inFlight > this.maxSeen) this.maxSeen = this.inFlight;
    return null;
  }

  /** Marks an admitted request as finished. */
  release(): void {
    this.inFlight--;
  }
}
