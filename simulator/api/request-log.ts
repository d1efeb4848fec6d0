const MAX_ENTRIES = 20_000;

/** One data-API request as the control surface reports it. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  entity?: string;
  operation: string;
  requestid?: string;
  /** How many items a batch request carried. */
  items?: number;
  /** How many of a batch's answers were Faults. */
  itemFaults?: number;
  status: number;
  intuitTid: string;
  faultCode?: string;
  /** Which limit refused a throttled request: minute, second, concurrency or batches. */
  limit?: string;
}

/** Per-company request counters. */
export interface RequestCounters {
  total: number;
  reads: number;
  writes: number;
  queries: number;
  batches: number;
  /** QuickBooks operations in requests that were not throttled: one per request, one per batch item. */
  operations: number;
  byStatus: Record<string, number>;
  throttled: number;
  tokenRefreshes: number;
  tokenRequests: number;
  maxConcurrentSeen: number;
}

function emptyCounters(): RequestCounters {
  return {
    total: 0,
    reads: 0,
    writes: 0,
    queries: 0,
    batches: 0,
    operations: 0,
    byStatus: {},
    throttled: 0,
    tokenRefreshes: 0,
    tokenRequests: 0,
    maxConcurrentSeen: 0,
  };
}

/** A company's request log (the last 20,000 entries) and counters. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;
  counters = emptyCounters();

  /** Records a finished data-API request. */
  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    const c = this.counters;
    c.total++;
    c.byStatus[entry.status] = (c.byStatus[entry.status] ?? 0) + 1;
    if (entry.status === 429 && entry.faultCode === '3001') c.throttled++;
    else c.operations += entry.items ?? 1;
    if (entry.operation === 'read') c.reads++;
    else if (entry.operation === 'query') c.queries++;
    else if (entry.operation === 'batch') c.batches++;
    else if (entry.operation !== 'unknown') c.writes++;
    this.entries.push({ seq: this.nextSeq++, ...entry });
    // Trim in chunks so the hot path stays O(1) amortised.
    if (this.entries.length > MAX_ENTRIES * 1.1) this.entries = this.entries.slice(-MAX_ENTRIES);
  }

  /** Entries with seq greater than `since`. */
  since(since: number): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > since).slice(-MAX_ENTRIES);
  }

  /** Clears entries and counters; seq keeps increasing so `since` cursors stay valid. */
  reset(): void {
    this.entries = [];
    this.counters = emptyCounters();
  }
}
