import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { createAdminSessions } from './admin/session';
import { createAuthThrottle } from './auth-throttle';
import { clientAddress } from './client-address';
import { errorForLog } from '../lib/logger';
import type { ApiDeps } from './deps';
import { starterCheck } from './principal';
import { answerUnreachable, ApiError } from './errors';
import { createRouter } from './router';
import { sizeInWords } from './size-in-words';
import { unsafeUrlFields } from './schemas/safe-text';
import { createConnectionRoutes } from './routes/connections';
import { createDocsRoutes } from './routes/docs';
import { createMappingRoutes } from './routes/mappings/index';
import { createPolicyRoutes } from './routes/policies';
import { createReconciliationRoutes } from './routes/reconciliation';
import { createAdminRoutes } from './admin/routes';
import { createCodecRoutes } from './routes/codec';
import { createAdminToolRoutes } from './admin/tool-routes';
import { createHealthRoutes } from './routes/health';
import { createResumeRoutes } from './routes/resume';
import { createSyncRoutes } from './routes/syncs';
import { createDriftRoutes } from './routes/drift';
import { createWebhookRoutes } from './routes/webhooks';
import { createWebConnectorRoutes } from './routes/web-connector';
import { createDesktopConnectionRoutes } from './routes/desktop-connections';

/** The most of a refused body the API reads (and throws away) so the client can read its 413. */
const DISCARD_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Refuses bodies above `maxSize` with 413 before parsing them. The rest of the body is read and thrown
 * away (up to a bound), since a client still uploading misses an answer sent on a connection that is
 * then closed; beyond the bound the connection is closed and says so, so it is never reused.
 */
function tooLarge(maxSize: number, message: string) {
  return bodyLimit({
    maxSize,
    onError: async (c) => {
      const discarded = await discardBody(c.req.raw, DISCARD_LIMIT_BYTES);
      return c.json(
        { error: { code: 'payload_too_large', message } },
        413,
        discarded ? {} : { connection: 'close' },
      );
    },
  });
}

/** Reads the body to its end without keeping it; false when it is longer than `limit` or unreadable. */
async function discardBody(request: Request, limit: number): Promise<boolean> {
  if (!request.body || request.body.locked) return false;
  const reader = request.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}

/** Builds the whole HTTP API. Only api/server.ts calls serve(). */
export function createApp(deps: ApiDeps) {
  const app = createRouter();
  const throttle = createAuthThrottle(deps.db, deps.config);
  const sessions = createAdminSessions(deps.db, deps.config);
  const trustProxy = deps.config.TRUST_PROXY === 'true';

  const { MAX_DOCUMENT_BYTES: documentLimit, MAX_BATCH_BYTES: batchLimit } = deps.config;
  // One document goes to Temporal as one payload: refused at once above its limit, before it is parsed.
  app.on(
    'POST',
    '/v1/syncs',
    tooLarge(
      documentLimit,
      `The document is larger than ${sizeInWords(documentLimit)} of JSON, the most one sync may carry: split the invoice or shorten its descriptions.`,
    ),
  );
  // The Web Connector's endpoint has its own limit and answers refusals as SOAP faults.
  app.route('/qbwc', createWebConnectorRoutes(deps));
  // Anything else (a batch is the largest body) is bounded too; batches check each document's size.
  app.use(
    '*',
    tooLarge(
      batchLimit,
      `The body is larger than ${sizeInWords(batchLimit)}: split it into smaller requests.`,
    ),
  );
  app.use('*', async (c, next) => {
    const fields = unsafeUrlFields(c.req.url);
    if (fields.length) {
      return c.json(
        { error: { code: 'bad_request', message: 'The URL holds characters no route accepts.', fields } },
        400,
      );
    }
    // Every key check (api/auth.ts) and the admin login count refused attempts against the address and key.
    c.set(
      'authGuard' as never,
      { throttle, address: clientAddress(c, trustProxy), logger: deps.logger } as never,
    );
    await next();
  });
  app.route('/healthz', createHealthRoutes(deps));
  app.route('/v1/syncs', createSyncRoutes(deps));
  app.route('/v1/connections', createResumeRoutes(deps));
  app.route(
    '/v1/connections',
    createConnectionRoutes({ ...deps, starterIsValid: starterCheck(deps.config, sessions.isActive) }),
  );
  app.route('/v1/desktop-connections', createDesktopConnectionRoutes(deps));
  app.route('/v1/mappings', createMappingRoutes(deps));
  app.route('/v1/companies', createDriftRoutes(deps));
  app.route('/v1/webhooks', createWebhookRoutes(deps));
  app.route('/v1/policies', createPolicyRoutes(deps));
  app.route('/v1/companies', createReconciliationRoutes(deps));
  app.route('/v1/docs', createDocsRoutes(app));
  app.route('/admin', createAdminRoutes(deps, sessions, throttle));
  if (deps.config.CODEC_ENDPOINT === 'on') app.route('/codec', createCodecRoutes(deps));
  app.route('/admin', createAdminToolRoutes(deps, sessions));

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body(), err.status);
    if (err instanceof HTTPException) {
      // Hono's own 4xx (e.g. a malformed JSON body) keep their status but get our shape.
      const status = err.status;
      const code = status === 400 ? 'bad_request' : status === 413 ? 'payload_too_large' : 'http_error';
      return c.json(
        { error: { code, message: err.message || 'The request could not be processed.' } },
        status,
      );
    }
    const unreachable = answerUnreachable(err, c, deps.logger);
    if (unreachable) return c.json(unreachable.body(), 503);
    deps.logger.error({ err: errorForLog(err), path: c.req.path }, 'unhandled error');
    return c.json(
      { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } },
      500,
    );
  });

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'qbo-sync',
      version: '1.0.0',
      description: 'Sync invoices and payments into QuickBooks Online, exactly once.',
    },
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
