import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { currentFailures, recordFailure } from '../db/queries/auth-failures';

export type ThrottleConfig = Pick<
  Config,
  'AUTH_FAILURE_WINDOW_SECONDS' | 'AUTH_MAX_FAILURES_PER_ADDRESS' | 'AUTH_MAX_FAILURES_PER_KEY'
>;

/** Who is trying: the client's address and the key it presented (kept only as a hash). */
export interface Attempt {
  address: string;
  key: string;
}

/**
 * The lockout on admin logins and API keys: refused attempts are counted per client address and per
 * presented key (its SHA-256) in a fixed window in Postgres, so every API process sees the same counts.
 * Past the limit, every attempt from that address or with that key waits for the window to end.
 */
export function createAuthThrottle(db: Db, config: ThrottleConfig) {
  const windowMs = config.AUTH_FAILURE_WINDOW_SECONDS * 1000;
  const buckets = (a: Attempt) => {
    const addr = `addr:${a.address}`;
    const key = `key:${createHash('sha256').update(a.key).digest('base64url')}`;
    return { addr, key, all: [addr, key] };
  };
  return {
    /** Seconds to wait when the address or the key is locked out; null when the attempt may go ahead. */
    async lockedFor(attempt: Attempt): Promise<number | null> {
      const b = buckets(attempt);
      const rows = await currentFailures(db, b.all, windowMs);
      const locked = rows.filter(
        (r) =>
          r.failures >=
          (r.bucket === b.addr ? config.AUTH_MAX_FAILURES_PER_ADDRESS : config.AUTH_MAX_FAILURES_PER_KEY),
      );
      return locked.length ? Math.max(1, ...locked.map((r) => r.resetsInSeconds)) : null;
    },
    /** Counts a refused attempt. */
    async refused(attempt: Attempt): Promise<void> {
      await recordFailure(db, buckets(attempt).all, windowMs);
    },
  };
}

export type AuthThrottle = ReturnType<typeof createAuthThrottle>;
