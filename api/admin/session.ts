import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../../config';
import type { Db } from '../../db/client';
import {
  insertAdminSession,
  liveAdminSession,
  revokeAdminSession,
  touchAdminSession,
} from '../../db/queries/admin-sessions';
import { serverSecret } from '../../db/queries/server-secrets';
import { keyPrincipal } from '../auth';

/**
 * The admin page's sessions, kept in Postgres. The cookie carries a random id signed with a server secret
 * unrelated to any key (ADMIN_SESSION_SECRET, or one generated once and stored); only the id's hash is
 * stored. A session ends on logout, after ADMIN_SESSION_IDLE_SECONDS unused, after ADMIN_SESSION_MAX_SECONDS,
 * or when the admin key that opened it is no longer configured.
 */
export const SESSION_COOKIE = 'qbo_admin_session';

export type SessionConfig = Pick<
  Config,
  | 'adminApiKeys'
  | 'API_PUBLIC_URL'
  | 'ADMIN_SESSION_SECRET'
  | 'ADMIN_SESSION_IDLE_SECONDS'
  | 'ADMIN_SESSION_MAX_SECONDS'
>;

export interface AdminSession {
  /** SHA-256 (base64url) of the session id: how the session is named outside the cookie. */
  idHash: string;
  csrf: string;
}

export type AdminEnv = { Variables: { csrf: string; session: AdminSession } };

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

/** The admin sessions over `db`: start (login), read, end (logout), and the middleware pages use. */
export function createAdminSessions(db: Db, config: SessionConfig) {
  const idleMs = config.ADMIN_SESSION_IDLE_SECONDS * 1000;
  const maxMs = config.ADMIN_SESSION_MAX_SECONDS * 1000;
  const secure = new URL(config.API_PUBLIC_URL).protocol === 'https:';
  const adminPrincipals = () => new Set(config.adminApiKeys.map(keyPrincipal));

  let secret: Promise<string> | undefined;
  const signingSecret = (): Promise<string> => {
    if (config.ADMIN_SESSION_SECRET) return Promise.resolve(config.ADMIN_SESSION_SECRET);
    secret ??= serverSecret(db, 'admin_session_cookie', () => randomBytes(32).toString('base64url')).catch(
      (err: unknown) => {
        secret = undefined; // a database hiccup must not stick
        throw err;
      },
    );
    return secret;
  };
  const csrfOf = async (id: string) =>
    createHmac('sha256', await signingSecret())
      .update(`csrf:${id}`)
      .digest('base64url');

  async function cookieId(c: Context): Promise<string | undefined> {
    const value = await getSignedCookie(c, await signingSecret(), SESSION_COOKIE);
    return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  }

  return {
    /** Starts a session for the admin `key`: an HttpOnly, SameSite=Strict signed cookie scoped to /admin. */
    async start(c: Context, key: string): Promise<void> {
      const id = randomBytes(32).toString('base64url');
      await insertAdminSession(db, { idHash: hashId(id), principal: keyPrincipal(key), maxMs });
      await setSignedCookie(c, SESSION_COOKIE, id, await signingSecret(), {
        httpOnly: true,
        sameSite: 'Strict',
        secure,
        path: '/admin',
        maxAge: config.ADMIN_SESSION_MAX_SECONDS,
      });
    },

    /** The live session the request's cookie names (and marks it used), or null. */
    async read(c: Context): Promise<AdminSession | null> {
      const id = await cookieId(c);
      if (!id) return null;
      const idHash = hashId(id);
      const principal = await touchAdminSession(db, idHash, idleMs);
      if (!principal || !adminPrincipals().has(principal)) return null;
      return { idHash, csrf: await csrfOf(id) };
    },

    /** Logout: revokes the session server-side, then clears the cookie. */
    async end(c: Context): Promise<void> {
      const id = await cookieId(c);
      if (id) await revokeAdminSession(db, hashId(id));
      deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure });
    },

    /** Whether the session with this id hash is still alive (e.g. the one that started an OAuth flow). */
    async isActive(idHash: string): Promise<boolean> {
      const principal = await liveAdminSession(db, idHash, idleMs);
      return Boolean(principal && adminPrincipals().has(principal));
    },

    /**
     * Requires a session. Pages without one redirect to the login form; a form POST must also carry the
     * session's CSRF token and, when the browser sends an Origin, come from this server (403 otherwise).
     */
    require() {
      return createMiddleware<AdminEnv>(async (c, next) => {
        const session = await this.read(c);
        if (!session) {
          if (c.req.method === 'GET') return c.redirect('/admin/login', 303);
          return c.text('Your admin session has ended: log in again at /admin/login.', 401);
        }
        if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
          const body = await c.req.parseBody();
          if (
            !sameOrigin(c, config.API_PUBLIC_URL) ||
            typeof body.csrf !== 'string' ||
            !equal(body.csrf, session.csrf)
          ) {
            return c.text(
              'This form was not sent from the admin page (bad CSRF token or origin). Reload the page and try again.',
              403,
            );
          }
        }
        c.set('csrf', session.csrf);
        c.set('session', session);
        await next();
      });
    },
  };
}

export type AdminSessions = ReturnType<typeof createAdminSessions>;

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
