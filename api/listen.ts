import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  host: string;
  port: number;
  /** Time a client has to send the request headers. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request. */
  requestTimeoutMs: number;
  /** Open connections beyond this are refused (closed at once). */
  maxConnections: number;
}

/**
 * Serves `fetch` with bounded slow clients: header and request timeouts (checked every second, not
 * Node's default 30 s, so a slow-headers client gets its 408 on time) and a connection limit, so a few
 * hundred half-open connections cannot hold the API.
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  options: ListenOptions,
  onListening?: (info: AddressInfo) => void,
): Server {
  const server = serve(
    {
      fetch,
      port: options.port,
      hostname: options.host,
      serverOptions: {
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: Math.max(options.requestTimeoutMs, options.headersTimeoutMs),
        connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
        keepAliveTimeout: 5_000,
      },
    },
    onListening,
  ) as Server;
  server.maxConnections = options.maxConnections;
  return server;
}
