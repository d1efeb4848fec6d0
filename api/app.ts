import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { errorForLog } from '../lib/logger';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { createRouter } from './router';
import { sizeInWords } from './size-in-words';
import { unsafeUrlFields } from './schemas/safe-text';
import { createConnectionRoutes } from './routes/connections';
import { createDocsRoutes } from './routes/docs';
import { createMappingRoutes } from './routes/mappings';
import { createPolicyRoutes } from './routes/policies';
import { createAdminRoutes } from './admin/routes';
import { createCodecRoutes } from './routes/codec';
import { createHealthRoutes } from './routes/health';
import { createResumeRoutes } from './routes/resume';
import { createSyncRoutes } from './routes/syncs';

/**
 * Refuses bodies above `maxSize` with 413 before reading them. The rest of such a body is never read, so
 * the connection closes after the answer: a client must not send its next request on it.
 */
function tooLarge(maxSize: number, message: string) {
  return bodyLimit({
    maxSize,
    onError: (c) => c.json({ error: { code: 'payload_too_large', message } }, 413, { connection: 'close' }),
  });
}

/** Builds the whole HTTP API. Only api/server.ts calls serve(). */
export function createApp(deps: ApiDeps) {
  const app = createRouter();

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
    await next();
  });
  app.route('/healthz', createHealthRoutes(deps));
  app.route('/v1/syncs', createSyncRoutes(deps));
  app.route('/v1/connections', createResumeRoutes(deps));
  app.route('/v1/connections', createConnectionRoutes(deps));
  app.route('/v1/mappings', createMappingRoutes(deps));
  app.route('/v1/policies', createPolicyRoutes(deps));
  app.route('/v1/docs', createDocsRoutes(app));
  app.route('/admin', createAdminRoutes(deps));
  if (deps.config.CODEC_ENDPOINT === 'on') app.route('/codec', createCodecRoutes(deps));

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
