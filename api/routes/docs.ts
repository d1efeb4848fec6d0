import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { html } from 'hono/html';
import { createRouter } from '../router';

type Documented = Pick<OpenAPIHono, 'getOpenAPI31Document' | 'openAPIRegistry'>;

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * `GET /v1/docs`: a page listing every path, method and summary of the generated OpenAPI document (no
 * front-end bundle; the JSON itself is at /v1/openapi.json). Also registers the API-key security scheme.
 */
export function createDocsRoutes(app: Documented) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'Authorization: Bearer <key> (or the same key in an X-API-Key header). Source key: enqueue and read syncs; admin key: everything.',
  });
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'This list of every API route (HTML)',
      responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
    }),
    (c) => {
      const doc = app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'qbo-sync', version: '1.0.0' },
      });
      const rows = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
        methods.filter((m) => item?.[m]).map((m) => ({ path, method: m.toUpperCase(), op: item![m]! })),
      );
      // hono/html escapes every interpolated value.
      return c.html(
        html`<!doctype html>
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>qbo-sync API</title>
              <style>
                body {
                  font:
                    15px/1.4 system-ui,
                    sans-serif;
                  margin: 1rem;
                  max-width: 60rem;
                }
                table {
                  border-collapse: collapse;
                  width: 100%;
                }
                td,
                th {
                  border-bottom: 1px solid #ddd;
                  padding: 0.35rem;
                  text-align: left;
                  vertical-align: top;
                }
                .m {
                  font-weight: 600;
                  font-family: monospace;
                }
                code {
                  word-break: break-all;
                }
              </style>
            </head>
            <body>
              <h1>qbo-sync API</h1>
              <p>
                The machine-readable document is <a href="/v1/openapi.json">/v1/openapi.json</a>. Routes
                marked “key” need an API key: <code>Authorization: Bearer &lt;key&gt;</code>.
              </p>
              <table>
                <thead>
                  <tr>
                    <th>Method</th>
                    <th>Path</th>
                    <th>What it does</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) =>
                      html`<tr>
                        <td class="m">${r.method}</td>
                        <td><code>${r.path}</code>${r.op.security?.length ? ' (key)' : ''}</td>
                        <td>${r.op.summary ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </body>
          </html>`,
      );
    },
  );
  return router;
}
