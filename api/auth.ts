import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
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
  return createMiddleware<{ Variables: { role: Role } }>(async (c, next) => {
    const header = c.req.header('authorization');
    const presented = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.header('x-api-key');
    if (!presented)
      throw new ApiError(401, 'unauthenticated', 'An API key is required: send Authorization: Bearer <key>.');
    const granted = roleOf(presented, keys);
    if (!granted) throw new ApiError(401, 'unauthenticated', 'The API key is not valid.');
    if (role === 'admin' && granted !== 'admin') {
      throw new ApiError(
        403,
        'forbidden',
        'This action needs the admin API key; the source key may only enqueue and read syncs.',
      );
    }
    c.set('role', granted);
    await next();
  });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
