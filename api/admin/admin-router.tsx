import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { errorForLog } from '../../lib/logger';
import type { ApiDeps } from '../deps';
import { answerUnreachable, fieldErrors } from '../errors';
import { Layout, STYLE_SOURCE } from './layout';

/** What every admin page's route definitions share. */
export const tags = ['admin pages'];
export const htmlPage = { description: 'HTML page', content: { 'text/html': { schema: z.string() } } };
export const redirect = { 303: { description: 'Back to the page, with a notice' } };
export const form = <T extends z.ZodRawShape>(shape: T) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': { schema: z.object({ csrf: z.string().min(1), ...shape }) },
  },
});
export const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;
export const withNotice = (path: string, notice: string) => `${path}?notice=${encodeURIComponent(notice)}`;

/**
 * A router for `/admin` pages: bad form input is shown on a page naming each field (not JSON); no script at
 * all, the one stylesheet by hash, never framed, never cached (pages show live data); errors as a page.
 * Every admin sub-router is built here, so no page is served without these headers.
 */
export function createAdminRouter<E extends Env>(deps: Pick<ApiDeps, 'config' | 'logger'>) {
  const router = new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        const reasons = fieldErrors(result.error).map((f) => `${f.path}: ${f.reason}`);
        throw new HTTPException(422, { message: `The form is invalid: ${reasons.join('; ')}` });
      }
    },
  });
  router.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [STYLE_SOURCE],
        // The Connect button's form redirects to Intuit's consent page: Chromium applies form-action to it.
        formAction: ["'self'", new URL(deps.config.QBO_AUTHORIZE_URL).origin],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts.
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
    }),
  );
  router.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  router.onError((err, c) => {
    const unreachable = answerUnreachable(err, c, deps.logger);
    const status = err instanceof HTTPException ? err.status : unreachable ? 503 : 500;
    if (status === 500) deps.logger.error({ err: errorForLog(err), path: c.req.path }, 'admin page failed');
    const message =
      status === 500
        ? 'Something went wrong on our side; it has been logged.'
        : (unreachable?.message ?? err.message);
    return c.html(
      <Layout title="Error">
        <h1>That did not work</h1>
        <p>{message}</p>
        <p>
          <a href="/admin">Back to the companies</a>
        </p>
      </Layout>,
      status,
    );
  });
  return router;
}
