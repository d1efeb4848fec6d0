import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataRoutes } from './api/data-routes';
import { createWebhookHub } from './changes/webhook-hub';
import { createClock } from './clock';
import { DEFAULT_LIMITS } from './company-seed';
import { createRuntimeRegistry, type SimContext, type SimEnv } from './context';
import { createControlRoutes } from './control/control-routes';
import { createWebhookRoutes } from './control/webhook-routes';
import { DesktopRegistry } from './desktop/desktop-company';
import { createDesktopRoutes } from './desktop/desktop-routes';
import { newIntuitTid } from './ids';
import { createOAuthRoutes } from './oauth/oauth-routes';
import { createOpenIdRoutes } from './oauth/openid-routes';
import { createTokenStore } from './oauth/token-store';
import { createStatePersister, loadState } from './persistence';

/** Options for {@link createSimulator}. */
export interface SimulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Default per-company rate limit for companies created without one (QuickBooks: 500). */
  ratePerMinute?: number;
  /** Default per-company concurrency limit (QuickBooks: 10). */
  maxConcurrent?: number;
  /** Default per-company requests per second (QuickBooks: 10). */
  ratePerSecond?: number;
  /** Default per-company batch requests per minute (QuickBooks: 40). */
  batchesPerMinute?: number;
  /** Default most items in one batch request (QuickBooks publishes 10, 30 and 50; default 30). */
  maxBatchItems?: number;
  /** JSON file to load state from at start and save to (debounced) on change. */
  stateFile?: string;
  /** Log one JSON line per request to stdout. Off by default to keep the hot path light. */
  log?: boolean;
}

/** A running simulator. */
export interface RunningSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Builds a local QuickBooks Online (Accounting API v3 + Intuit OAuth 2) simulator with a `/_sim` control surface,
 * and the QuickBooks Desktop company files + Web Connectors under `/_sim/desktop`.
 * Throws if `stateFile` exists but is not valid JSON.
 */
export function createSimulator(options: SimulatorOptions = {}) {
  const state = loadState(options.stateFile);
  const clock = createClock(state.clockOffsetMs);
  const heldTimers = new Set<NodeJS.Timeout>();
  const sim: SimContext = {
    state,
    clock,
    tokens: createTokenStore(() => state.oauth, clock.now),
    persister: createStatePersister(options.stateFile, () => ({ ...state, clockOffsetMs: clock.offsetMs() })),
    clientId: options.clientId ?? 'qbo-sync-local-client',
    clientSecret: options.clientSecret ?? 'qbo-sync-local-secret',
    globalFaults: [],
    runtime: createRuntimeRegistry(),
    heldTimers,
    webhooks: createWebhookHub(clock.now, heldTimers),
    defaultLimits: {
      ratePerMinute: options.ratePerMinute ?? DEFAULT_LIMITS.ratePerMinute,
      maxConcurrent: options.maxConcurrent ?? DEFAULT_LIMITS.maxConcurrent,
      ratePerSecond: options.ratePerSecond ?? DEFAULT_LIMITS.ratePerSecond,
      batchesPerMinute: options.batchesPerMinute ?? DEFAULT_LIMITS.batchesPerMinute,
      maxBatchItems: options.maxBatchItems ?? DEFAULT_LIMITS.maxBatchItems,
    },
  };
  const app = new Hono<SimEnv>();
  app.use('*', async (c, next) => {
    const tid = newIntuitTid();
    c.set('tid', tid);
    const started = options.log ? performance.now() : 0;
    await next();
    c.res.headers.set('intuit_tid', tid);
    if (options.log) {
      console.log(
        JSON.stringify({
          msg: 'request',
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
          intuit_tid: tid,
        }),
      );
    }
  });
  const controlRoutes = createControlRoutes(sim);
  const desktop = new DesktopRegistry(clock.now);
  app.route('/', createDesktopRoutes(desktop, clock.now));
  app.route('/', createOAuthRoutes(sim));
  app.route('/', createOpenIdRoutes(sim));
  app.route('/', createWebhookRoutes(sim));
  app.route('/', controlRoutes);
  app.route('/', createDataRoutes(sim));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  return {
    app,
    /** Listens on `port` (0 = any free port); resolves once listening. */
    start(port = 0, host = '127.0.0.1'): Promise<RunningSimulator> {
      return new Promise((resolve, reject) => {
        let server: ServerType;
        try {
          server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
            const url = `http://${host}:${info.port}`;
            resolve({
              url,
              port: info.port,
              close: () =>
                new Promise<void>((done) => {
                  for (const timer of sim.heldTimers) clearTimeout(timer);
                  sim.heldTimers.clear();
                  desktop.close();
                  sim.persister.flush();
                  const http = server as Server;
                  http.close(() => done());
                  http.closeAllConnections?.();
                }),
            });
          });
          (server as Server).keepAliveTimeout = 65_000;
          server.on('error', reject);
        } catch (err) {
          reject(err);
        }
      });
    },
  };
}
