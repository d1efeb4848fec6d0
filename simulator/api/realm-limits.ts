/**
 * Per-company throttle: a sliding 60 s window of admitted requests and an in-flight count.
 * Rejected requests are not added to the window, as with QuickBooks.
 */
export class RealmLimits {
  private admitted: number[] = [];
  private head = 0;
  inFlight = 0;
  maxSeen = 0;

  /** Admits a request at `now` unless the rate or concurrency limit is reached. */
  tryAdmit(now: number, ratePerMinute: number, maxConcurrent: number): boolean {
    const windowStart = now - 60_000;
    while (this.head < this.admitted.length && this.admitted[this.head] <= windowStart) this.head++;
    if (this.head > 4096 && this.head * 2 > this.admitted.length) {
      this.admitted = this.admitted.slice(this.head);
      this.head = 0;
    }
    if (this.admitted.length - this.head >= ratePerMinute || this.inFlight >= maxConcurrent) return false;
    this.admitted.push(now);
    this.inFlight++;
    if (this.inFlight > this.maxSeen) this.maxSeen = this.inFlight;
    return true;
  }

  /** Marks an admitted request as finished. */
  release(): void {
    this.inFlight--;
  }
}
