import { startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { statusQuery, SYNC_REVISION } from '../workflows/contract';
import { startMockPausedWorker } from './mock-paused-worker';

/**
 * `tsx bench/cache-memory.ts <syncs> <cache>`: the worker's memory with many syncs paused, without
 * QuickBooks or Postgres (mocked activities; every sync pauses for auth at its invoice), on a dev server
 * of its own. Prints the worker process's RSS before and after, and per paused sync. Small enough to run
 * on a shared machine; the 5,000-sync figure is `npm run bench -- paused`.
 */
async function main() {
  const syncs = Number(process.argv[2] ?? 500);
  const cache = Number(process.argv[3] ?? 100);
  const server = await startTemporalDevServer({ headless: true });
  try {
    const mock = await startMockPausedWorker(server, {
      taskQueue: 'cache-memory',
      maxCachedWorkflows: cache,
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
    const started = Date.now();
    const ids = await mock.pauseSyncs(syncs, SYNC_REVISION, { pauseCheckMs: 3_600_000 });
    const settled = Date.now() - started;
    await new Promise((r) => setTimeout(r, 3_000));
    global.gc?.();
    const after = process.memoryUsage().rss;
    const state = (await mock.client.workflow.getHandle(ids[0]).query(statusQuery)).state;
    clearInterval(sample);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    console.log(
      JSON.stringify({
        syncs,
        cache,
        rssBeforeMb: mb(before),
        rssAfterMb: mb(after),
        rssPeakMb: mb(peak),
        perPausedSyncMb: ((after - before) / 1024 / 1024 / syncs).toFixed(3),
        allPausedInS: (settled / 1000).toFixed(1),
        firstState: state,
      }),
    );
    await mock.close();
  } finally {
    await server.stop();
  }
}

void main();
