import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { createRouter } from './router';
import { createConnectionRoutes } from './routes/connections';
import { createDocsRoutes } from './routes/docs';
import { createMappingRoutes } from './routes/mappings';
import { createPolicyRoutes } from './routes/policies';
import { createAdminRoutes } from './admin/routes';
import { createAdminToolRoutes } from './admin/tool-routes';
import { createHealthRoutes } from './routes/health';
import { createResumeRoutes } from './routes/resume';
import { createSyncRoutes } from './routes/syncs';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Builds the whole HTTP API. Only api/server.ts calls serve(). */
export function createApp(deps: ApiDeps) {
  const app = createRouter();

  // A 500-document batch is ~2.5 MB; anything far larger is refused before it is parsed.
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            error: {
              code: 'payload_too_large',
              message: `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB: split it.`,
            },
          },
          413,
        ),
    }),
  );
  app.route('/healthz', createHealthRoutes(deps));
  app.route('/v1/syncs', createSyncRoutes(deps));
  app.route('/v1/connections', createResumeRoutes(deps));
  app.route('/v1/connections', createConnectionRoutes(deps));
  app.route('/v1/mappings', createMappingRoutes(deps));
  app.route('/v1/policies', createPolicyRoutes(deps));
  app.route('/v1/docs', createDocsRoutes(app));
  app.route('/admin', createAdminRoutes(deps));
  app.route('/admin', createAdminToolRoutes(deps));

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
    deps.logger.error({ err: { name: err.name, message: err.message }, path: c.req.path }, 'unhandled error');
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
