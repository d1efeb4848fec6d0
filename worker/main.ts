import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import path from 'node:path';
import v8 from 'node:v8';
import { loadConfigOrExit } from '../config';
import { createDb } from '../db/client';
import { createLogger } from '../lib/logger';
import { createActivities } from '../activities';
import { createQuickBooks } from '../connections/create-quickbooks';
import { heartbeatIfInActivity, sendByInActivity } from '../activities/heartbeat';
import { payloadDataConverter } from '../lib/payload-codec';
import { companyLedger } from '../connections/company-ledger';
import { desktopLedger } from '../desktop/desktop-ledger';
import { qboLedger } from '../sync/qbo-ledger';

/**
 * The worker process: hosts the sync workflow and its activities. Uses the prebuilt workflow bundle
 * when WORKFLOW_BUNDLE_PATH points at one (tests, production image), else bundles at start.
 */
async function main() {
  const config = loadConfigOrExit(undefined, { usesSecrets: true, listensOn: 'WORKER_METRICS_HOST' });
  const logger = createLogger('worker', config.LOG_LEVEL);
  Runtime.install({
    // The SDK's own logs go through the same structured JSON logger as ours.
    logger: new DefaultLogger(sdkLogLevel(config.LOG_LEVEL), (entry) => {
      const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      logger[level]({ ...(entry.meta ?? {}) }, entry.message);
    }),
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `${metricsHost(config.WORKER_METRICS_HOST)}:${config.WORKER_METRICS_PORT}`,
        },
      },
    },
  });
  const database = createDb(config.DATABASE_URL, { max: 20 });
  const { qbo } = createQuickBooks(config, database.db, logger, heartbeatIfInActivity, sendByInActivity);
  // Each company's books: QuickBooks Online over HTTP, or QuickBooks Desktop through the Web Connector queue.
  const ledger = companyLedger(database.db, {
    online: qboLedger(qbo),
    desktop: desktopLedger({
      db: database.db,
      waitMs: config.DESKTOP_REQUEST_WAIT_MS,
      offlineAfterMs: config.DESKTOP_OFFLINE_AFTER_MS,
      pollMs: config.DESKTOP_POLL_MS,
      onWait: heartbeatIfInActivity,
    }),
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const bundlePath = config.WORKFLOW_BUNDLE_PATH;
  // Workflows run in a worker thread the SDK creates below; a V8 flag set now applies to that thread's
  // heap only. Without a cap V8 sizes it from the machine's RAM and lets replay garbage grow far past
  // what the cache holds (bench/RESULTS.md, "Issue #11 by hand").
  if (config.WORKER_WORKFLOW_HEAP_MB)
    v8.setFlagsFromString(`--max-old-space-size=${config.WORKER_WORKFLOW_HEAP_MB}`);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // Customer data in histories is encrypted; the API's client uses the same keys.
    dataConverter: payloadDataConverter(config.payloadKeys),
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: path.join(__dirname, '..', 'workflows') }),
    activities: createActivities({
      db: database.db,
      qbo,
      ledger,
      config: { throttleBackoffMs: config.QBO_THROTTLE_BACKOFF_MS },
    }),
    maxConcurrentActivityTaskExecutions: 100,
    // Paused syncs can number thousands; beyond this many they are evicted and replayed when they wake,
    // which keeps the worker's memory bounded (the SDK's default sizes the cache from the machine's RAM).
    // The default, 100, is the activity slots: about as many syncs as can be mid-step at once.
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10 seconds',
  });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, metricsPort: config.WORKER_METRICS_PORT },
    'worker started',
  );
  // worker.run() resolves after SIGINT/SIGTERM (the SDK installs those handlers) and a graceful drain.
  await worker.run();
  await connection.close();
  await database.close();
}

/** The SDK wants an IP (an IPv6 one in brackets), not a host name. */
function metricsHost(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function sdkLogLevel(level: string): LogLevel {
  const levels: Record<string, LogLevel> = {
    trace: 'TRACE',
    debug: 'DEBUG',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    fatal: 'ERROR',
    silent: 'ERROR',
  };
  return levels[level] ?? 'INFO';
}

main().catch((err) => {
  process.stderr.write(`qbo-sync worker: failed: ${(err as Error).message}\n`);
  process.exit(1);
});
