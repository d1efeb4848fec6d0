import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../lib/logger';
import { createQboOAuth } from '../quickbooks/oauth-client';
import { createRealmBudget } from './realm-budget';
import { createTokenCipher } from './token-cipher';
import { createTokenStore } from './token-store';
import { createQboClient } from '../quickbooks/client';
import { countReads } from '../db/queries/realm-reads';

/**
 * Wires the QuickBooks client to its real dependencies: tokens from the connections table (refreshed
 * under a row lock) and the per-company budget in Postgres, both shared by every process.
 */
export function createQuickBooks(
  config: Config,
  db: Db,
  logger: Logger,
  /** Called while a request waits (for a budget slot, or before sending): the worker heartbeats here. */
  onWait?: () => void,
  /** The latest time a queued write may still be sent (the worker: shortly before the activity times out). */
  sendBy?: () => number | undefined,
) {
  const cipher = createTokenCipher(config.tokenKeys);
  const oauth = createQboOAuth(config);
  const tokens = createTokenStore({ db, cipher, oauth, publicUrl: config.API_PUBLIC_URL, logger });
  const budget = createRealmBudget({
    db,
    perMinute: config.QBO_REQUESTS_PER_MINUTE,
    maxInFlight: config.QBO_MAX_IN_FLIGHT,
    batchesPerMinute: config.QBO_BATCHES_PER_MINUTE,
    firstHoldMs: config.QBO_THROTTLE_BACKOFF_MS,
    maxHoldMs: config.QBO_THROTTLE_MAX_BACKOFF_MS,
    // A killed worker's slot comes back soon after its request could have lasted.
    leaseMs: config.QBO_REQUEST_TIMEOUT_MS + 15_000,
    onLateGrant: (realmId, tookMs) =>
      logger.debug({ realmId, tookMs: Math.round(tookMs) }, 'budget grant came back late: asked again'),
    onWait,
  });
  const qbo = createQboClient({
    baseUrl: config.QBO_API_BASE_URL,
    minorVersion: config.QBO_MINOR_VERSION,
    timeoutMs: config.QBO_REQUEST_TIMEOUT_MS,
    tokens,
    budget,
    logger,
    onWait,
    sendBy,
    batching:
      config.QBO_BATCH_WRITES === 'on'
        ? // Three single requests at a time already carry the 10 a second the budget grants at QuickBooks'
          // usual latencies; more would only wait for the same slots while the writes behind them could
          // have gone in a batch (the 2,000-invoice bench with ten: 16 batches against 1,342 single writes).
          { maxItems: config.QBO_BATCH_SIZE, maxSenders: Math.min(3, config.QBO_MAX_IN_FLIGHT) }
        : undefined,
    // Intuit meters reads per app; a lost count is better than a failed request, so never awaited.
    onRead: (realmId) =>
      void countReads(db, realmId).catch((err: Error) =>
        logger.warn({ realmId, err: err.message }, 'could not count a QuickBooks read'),
      ),
  });
  return { qbo, tokens, budget, cipher, oauth };
}
