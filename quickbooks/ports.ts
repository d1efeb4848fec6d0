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

/** The per-company request budget shared by all worker processes. */
export interface RealmBudget {
  /**
   * Waits for a slot (rate and concurrency); call the returned function when the request ends.
   * `batch`: the request is a batch request, which also takes one of the company's batches per minute.
   */
  acquire(realmId: string, options?: { batch?: boolean }): Promise<() => Promise<void>>;
  /** QuickBooks throttled us anyway: hold every request for this company for `ms`. */
  backOff(realmId: string, ms: number): Promise<void>;
}
