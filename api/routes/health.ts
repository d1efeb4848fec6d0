import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import axios from 'axios';
import type { ApiDeps } from '../deps';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: (err as Error).message.slice(0, 200),
    };
  }
}

/** `GET /healthz`: reachability and latency of Temporal, Postgres and QuickBooks. No auth, no secrets. */
export function createHealthRoutes(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const [temporal, postgres, quickbooks] = await Promise.all([
      timed(() => deps.temporal.workflowService.getSystemInfo({})),
      timed(() => deps.db.execute(sql`select 1`)),
      // Any HTTP answer proves the QuickBooks host is reachable; credentials are not checked here.
      timed(() => axios.get(deps.config.QBO_API_BASE_URL, { timeout: 5_000, validateStatus: () => true })),
    ]);
    const ok = temporal.ok && postgres.ok && quickbooks.ok;
    return c.json({ ok, temporal, postgres, quickbooks }, ok ? 200 : 503);
  });
}
