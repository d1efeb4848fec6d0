import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import axios from 'axios';
import type { ApiDeps } from '../deps';
import { errorForLog } from '../../lib/logger';

/** One dependency's answer: reachable or not, how fast, and in words. Never the raw error. */
interface Check {
  ok: boolean;
  latencyMs: number;
  status: 'ok' | 'unavailable';
}

const CHECK_TIMEOUT_MS = 5_000;

/**
 * `GET /healthz`: reachability and latency of Temporal, Postgres and QuickBooks, with a status and a short
 * reason (`temporal: unavailable`). No auth, so no details: the error itself goes to the log.
 */
export function createHealthRoutes(deps: ApiDeps) {
  const timed = async (name: string, fn: () => Promise<unknown>): Promise<Check> => {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      await fn();
      return { ok: true, latencyMs: latency(), status: 'ok' };
    } catch (err) {
      deps.logger.warn({ dependency: name, err: errorForLog(err) }, 'health check failed');
      return { ok: false, latencyMs: latency(), status: 'unavailable' };
    }
  };
  return new Hono().get('/', async (c) => {
    const [temporal, postgres, quickbooks] = await Promise.all([
      timed('temporal', () =>
        deps.temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
          deps.temporal.workflowService.getSystemInfo({}),
        ),
      ),
      timed('postgres', () => deps.db.execute(sql`select 1`)),
      // Any HTTP answer proves the QuickBooks host is reachable; credentials are not checked here.
      timed('quickbooks', () =>
        axios.get(deps.config.QBO_API_BASE_URL, { timeout: CHECK_TIMEOUT_MS, validateStatus: () => true }),
      ),
    ]);
    const checks = { temporal, postgres, quickbooks };
    const reasons = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name, check]) => `${name}: ${check.status}`);
    const ok = reasons.length === 0;
    return c.json({ ok, status: ok ? 'ok' : 'degraded', reasons, ...checks }, ok ? 200 : 503);
  });
}
