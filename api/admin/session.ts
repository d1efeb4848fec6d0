import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';

/** The admin page's session: a signed cookie holding `<expiresAtMs>.<nonce>`; nothing is stored server-side. */
export const SESSION_COOKIE = 'qbo_admin_session';
const SESSION_MS = 8 * 60 * 60 * 1000;

export interface SessionKeys {
  adminApiKeys: string[];
}

/**
 * The cookie-signing secret, derived from the configured admin keys: rotating the admin key ends every
 * session, and the key itself never leaves the server.
 */
export function sessionSecret(keys: SessionKeys): string {
  return createHmac('sha256', 'qbo-sync admin session v1').update(keys.adminApiKeys.join('\0')).digest('hex');
}

/** The CSRF token for a session: an HMAC of the session value, so it is tied to that session and unguessable. */
export function csrfToken(secret: string, session: string): string {
  return createHmac('sha256', secret).update(`csrf:${session}`).digest('base64url');
}

const secureCookie = (c: Context) => new URL(c.req.url).protocol === 'https:';

/** Starts a session: an HttpOnly, SameSite=Strict signed cookie scoped to /admin. */
export async function startSession(c: Context, keys: SessionKeys): Promise<void> {
  const value = `${Date.now() + SESSION_MS}.${randomBytes(16).toString('base64url')}`;
  await setSignedCookie(c, SESSION_COOKIE, value, sessionSecret(keys), {
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureCookie(c),
    path: '/admin',
    maxAge: SESSION_MS / 1000,
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: secureCookie(c) });
}

/** The current session's value when the cookie is present, correctly signed and not expired. */
export async function readSession(c: Context, keys: SessionKeys): Promise<string | null> {
  const value = await getSignedCookie(c, sessionSecret(keys), SESSION_COOKIE);
  if (!value) return null;
  const expiresAt = Number(value.split('.')[0]);
  return Number.isFinite(expiresAt) && expiresAt > Date.now() ? value : null;
}

/** True when a request's Origin (if the browser sent one) is this server (or its public URL). */
export function sameOrigin(c: Context, publicUrl: string): boolean {
  const origin = c.req.header('origin');
  if (!origin) return true; // SameSite=Strict keeps the cookie off cross-site requests anyway.
  return origin === new URL(c.req.url).origin || origin === new URL(publicUrl).origin;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type AdminEnv = { Variables: { csrf: string } };

/**
 * Requires a session. Pages without one redirect to the login form; a form POST must also carry the
 * session's CSRF token and, when the browser sends an Origin, come from this server (403 otherwise).
 */
export function requireSession(keys: SessionKeys, publicUrl: string) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const session = await readSession(c, keys);
    if (!session) {
      if (c.req.method === 'GET') return c.redirect('/admin/login', 303);
      return c.text('Your admin session has ended: log in again at /admin/login.', 401);
    }
    const token = csrfToken(sessionSecret(keys), session);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const body = await c.req.parseBody();
      if (!sameOrigin(c, publicUrl) || typeof body.csrf !== 'string' || !equal(body.csrf, token)) {
        return c.text(
          'This form was not sent from the admin page (bad CSRF token or origin). Reload the page and try again.',
          403,
        );
      }
    }
    c.set('csrf', token);
    await next();
  });
}
