import { Runtime } from '@temporalio/worker';
import { freePort } from '../scripts/lib/free-port';
import { startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { SYNC_REVISION } from '../workflows/contract';
import { startMockPausedWorker } from './mock-paused-worker';
import { measurePauseTick } from './pause-tick';
import { startSampler } from './process-sampler';

/**
 * `tsx bench/tick-burst.ts <syncs> <interval s> <cache> [revision …]`: one self-check tick of `syncs`
 * paused syncs (expired connection), evicted from a small cache, for each revision given (default 2
 * and today's): revision 2 checks all of them on the aligned tick, revision 3 spreads them over the
 * interval. Worker in this process with mocked activities (no QuickBooks, no Postgres), on a dev server
 * of its own; prints one JSON line per revision.
 */
async function main() {
  const [syncs, intervalS, cache] = [2_000, 120, 20].map((d, i) => Number(process.argv[2 + i] ?? d));
  const revisions = process.argv.slice(5).map(Number);
  const metricsPort = await freePort();
  Runtime.install({
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const server = await startTemporalDevServer({ headless: true });
  const sampler = startSampler(process.pid);
  try {
    for (const revision of revisions.length ? revisions : [2, SYNC_REVISION]) {
      const mock = await startMockPausedWorker(server, {
        taskQueue: `tick-burst-${revision}`,
        maxCachedWorkflows: cache,
      });
      try {
        await mock.pauseSyncs(syncs, revision, { pauseCheckMs: intervalS * 1000 });
        const figure = await measurePauseTick(
          `http://127.0.0.1:${metricsPort}/metrics`,
          sampler,
          intervalS * 1000,
          syncs,
          ` (revision ${revision}, cache ${cache})`,
        );
        console.log(JSON.stringify({ revision, ...figure }));
      } finally {
        await mock.close();
      }
    }
  } finally {
    await sampler.stop();
    await server.stop();
  }
}

void main();
