import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AuthThrottle } from './auth-throttle';
import { ApiError } from './errors';

export type Role = 'source' | 'admin';

export interface ApiKeys {
  sourceApiKeys: string[];
  adminApiKeys: string[];
}

/** Which role a presented key has; compared in constant time against every configured key. */
export function roleOf(presented: string, keys: ApiKeys): Role | null {
  const digest = sha256(presented);
  const matches = (list: string[]) =>
    list.reduce((hit, key) => timingSafeEqual(sha256(key), digest) || hit, false);
  if (matches(keys.adminApiKeys)) return 'admin';
  if (matches(keys.sourceApiKeys)) return 'source';
  return null;
}

/**
 * Requires an API key (`Authorization: Bearer <key>` or `X-API-Key`) with at least `role`.
 * The admin key may do everything the source app's key may.
 */
export function requireRole(role: Role, keys: ApiKeys) {
  return createMiddleware<{ Variables: { role: Role; principal: string; authGuard?: AuthGuard } }>(
    async (c, next) => {
      const header = c.req.header('authorization');
      const presented = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.header('x-api-key');
      if (!presented)
        throw new ApiError(
          401,
          'unauthenticated',
          'An API key is required: send Authorization: Bearer <key>.',
        );
      const guard = c.get('authGuard');
      const attempt = { address: guard?.address ?? 'unknown', key: presented };
      // Checked before the key, so a locked-out guesser learns nothing, not even from a right guess.
      const wait = await guard?.throttle.lockedFor(attempt);
      if (wait) {
        c.header('Retry-After', String(wait));
        throw tooManyAttempts(wait);
      }
      const granted = roleOf(presented, keys);
      if (!granted) {
        await guard?.throttle.refused(attempt);
        guard?.logger.warn({ clientAddress: attempt.address, path: c.req.path }, 'API key refused');
        throw new ApiError(401, 'unauthenticated', 'The API key is not valid.');
      }
      if (role === 'admin' && granted !== 'admin') {
        throw new ApiError(
          403,
          'forbidden',
          'This action needs the admin API key; the source key may only enqueue and read syncs.',
        );
      }
      c.set('role', granted);
      c.set('principal', keyPrincipal(presented));
      await next();
    },
  );
}

/** What the app puts on every request for key checks: the lockout and the client's address. */
export interface AuthGuard {
  throttle: AuthThrottle;
  address: string;
  logger: { warn(o: Record<string, unknown>, m: string): void };
}

/** The 429 a locked-out client gets (the caller also sets Retry-After). */
export function tooManyAttempts(waitSeconds: number): ApiError {
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many refused keys from this address or for this key: try again in ${waitSeconds} s.`,
  );
}

/** Who a key is, for records such as who started an OAuth flow: a SHA-256 prefix, never the key. */
export function keyPrincipal(key: string): string {
  return `key:${sha256(key).toString('hex').slice(0, 32)}`;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
