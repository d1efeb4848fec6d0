/**
 * What the QuickBooks client needs from the rest of the system, as interfaces so each side can be
 * built and tested on its own.
 */

/** Hands out a company's current access token and refreshes it, once, across every process. */
export interface TokenProvider {
  /** The current access token for the company (refreshed first if it is about to expire).
   *  Throws QboFault `auth_expired` (nonRetryable) when the connection is dead. */
  accessToken(realmId: string): Promise<string>;
  /** Called after QuickBooks answered 401 to `rejectedToken`: returns a fresh token (another process
   *  may already have rotated it) or throws QboFault `auth_expired` and marks the
   *  connection needs_reauth. */
  refreshAfterRejection(realmId: string, rejectedToken: string): Promise<string>;
  /** The token generation of the company's connection this process last used, if it knows one. */
  generation?(realmId: string): number | undefined;
}

/** How a request that held a budget slot ended, as far as the budget cares. */
export interface RequestOutcome {
  /** QuickBooks refused it with a throttle (429). */
  throttled?: boolean;
  /** The wait QuickBooks named with it (Retry-After), if any. */
  retryAfterMs?: number;
}

/** Gives a budget slot back; call it once, when the request has ended. */
export type ReleaseSlot = (outcome?: RequestOutcome) => Promise<void>;

/** The per-company request budget shared by all worker processes. */
export interface RealmBudget {
  /**
   * Waits for a slot (rate and concurrency); call the returned function when the request ends, with
   * `{ throttled: true }` if QuickBooks throttled it: the budget then holds the whole company, for the
   * wait QuickBooks named or a short hold that grows while QuickBooks keeps refusing.
   * `batch`: the request is a batch request, which also takes one of the company's batches per minute.
   */
  acquire(realmId: string, options?: { batch?: boolean }): Promise<ReleaseSlot>;
  /** Hold every request for this company for at least `ms`. */
  backOff(realmId: string, ms: number): Promise<void>;
}
