import { requireRole } from '../../auth';
import { createRouter } from '../../router';
import { connectionHandlers, type ConnectionRouteDeps } from './handlers';
import { connectionRoutes } from './routes';

export { view, BINDING_COOKIE, type ConnectionRouteDeps } from './handlers';

/**
 * `/v1/connections`: connect a QuickBooks company (OAuth), list, inspect, seed tokens and revoke.
 * Admin key everywhere except the OAuth callback, which the browser reaches and the bound state protects.
 */
export function createConnectionRoutes(deps: ConnectionRouteDeps) {
  const routes = connectionRoutes(requireRole('admin', deps.config));
  const handle = connectionHandlers(deps);
  const app = createRouter();
  app.openapi(routes.connect, (c) => handle.connect(c, c.get('principal'), c.req.valid('query').realmId));
  app.openapi(routes.callback, (c) => handle.callback(c, c.req.valid('query')) as any);
  app.openapi(routes.list, async (c) => c.json(await handle.list(), 200));
  app.openapi(routes.seedTokens, async (c) =>
    c.json(await handle.seedTokens(c.req.valid('param').realmId, c.req.valid('json')), 201),
  );
  app.openapi(routes.revoke, async (c) => c.json(await handle.revoke(c.req.valid('param').realmId), 200));
  app.openapi(routes.health, async (c) => c.json(await handle.health(c.req.valid('param').realmId), 200));
  return app;
}
