import { envSchema } from '../config';
import type { System } from '../test/support/system';
import {
  countSyncs,
  enqueueBatches,
  peakRssMb,
  steadyDocument,
  temporalClient,
  waitCount,
  warmCompany,
  workerPid,
  type Figure,
} from './measure';
import { measurePauseTick } from './pause-tick';
import { mean, peak, startSampler, workerMetricsUrl } from './process-sampler';

/** The worker's setting as the bench's environment gives it (the worker is started with that environment). */
const setting = <K extends keyof typeof envSchema.shape>(key: K) =>
  envSchema.shape[key].parse(process.env[key]) as number;

/**
 * Part 5: `count` syncs pause on an expired connection; the bench watches one of their self-check ticks
 * while they wait, then one reconnect resumes them. Reports the drain time against the calls QuickBooks
 * received and the company's budget, the tick's burst, and the worker's memory in each phase.
 */
export async function measurePaused(
  system: System,
  count: number,
  completeTimeoutMs: number,
): Promise<Figure[]> {
  const { client, close } = await temporalClient();
  const pid = workerPid(system);
  if (!pid) throw new Error('worker pid not found');
  const sampler = startSampler(pid, process.env.DATABASE_URL!);
  const budget = setting('QBO_REQUESTS_PER_MINUTE');
  const batchesPerMinute = setting('QBO_BATCHES_PER_MINUTE');
  const batchWrites = envSchema.shape.QBO_BATCH_WRITES.parse(process.env.QBO_BATCH_WRITES);
  const cache = setting('WORKER_MAX_CACHED_WORKFLOWS');
  const heap = setting('WORKER_WORKFLOW_HEAP_MB');
  try {
    const { realmId } = await system.newCompany();
    const template = await warmCompany(system, realmId, client);
    await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    const enqueueStarted = Date.now();
    await enqueueBatches(
      system,
      Array.from({ length: count }, () => steadyDocument(template)),
    );
    const enqueueS = (Date.now() - enqueueStarted) / 1000;
    const pausedIn = await waitCount(
      'paused',
      () => countSyncs(client, realmId, `SyncState = 'paused'`),
      count,
      // Pausing is paced by the Temporal dev server (about 4 syncs a second here at 5,000): as long as the drain may take.
      Math.max(20 * 60_000, completeTimeoutMs),
    );
    if (pausedIn === null) throw new Error('not every sync paused');
    const pausedAt = Date.now();

    const metrics = workerMetricsUrl(pid);
    if (!metrics) throw new Error('worker metrics port not found');
    const tick = await measurePauseTick(metrics, sampler, setting('SYNC_PAUSE_CHECK_MS'), count);
    const hwmBeforeResume = peakRssMb(pid) ?? 0;

    const tokens = (await system.sim('POST', `/_sim/companies/${realmId}/tokens`)).body;
    const reconnectAt = Date.now();
    const seeded = await system.connect(realmId, tokens);
    if (seeded.status >= 300) throw new Error(`could not seed tokens: ${seeded.text}`);
    const resumed = await system.api('POST', `/v1/connections/${realmId}/reconnected`, {}, system.adminKey);
    const signalledS = (Date.now() - reconnectAt) / 1000;
    const completedIn = await waitCount(
      'completed',
      async () => (await countSyncs(client, realmId, `ExecutionStatus = 'Completed'`)) - 1,
      count,
      completeTimeoutMs,
    );
    const completedAt = Date.now();
    const completedNow = (await countSyncs(client, realmId, `ExecutionStatus = 'Completed'`)) - 1;
    const stillPaused = await countSyncs(client, realmId, `SyncState = 'paused'`);

    const log: { at: string; status: number; operation?: string }[] = (
      await system.sim('GET', `/_sim/companies/${realmId}/requests?since=0`)
    ).body.requests;
    const at = (e: { at: string }) => Date.parse(e.at);
    const whilePaused = log.filter((e) => at(e) >= enqueueStarted && at(e) < reconnectAt);
    const afterReconnect = log.filter((e) => at(e) >= reconnectAt);
    const sent = afterReconnect.filter((e) => e.status !== 429);
    const throttled = afterReconnect.length - sent.length;
    const drainS = (completedAt - reconnectAt) / 1000;
    const batchRequests = sent.filter((e) => e.operation === 'batch').length;
    // Batch requests count in the per-minute budget and also have a limit of their own.
    const idealS = Math.max(sent.length / budget, batchRequests / batchesPerMinute) * 60;
    const perSyncIdealS = (count / budget) * 60;
    const firstToLastS = sent.length > 1 ? (at(sent[sent.length - 1]) - at(sent[0])) / 1000 : 0;
    const grantedPerMinute = firstToLastS ? (sent.length / firstToLastS) * 60 : 0;

    const phases = {
      pausing: sampler.between(enqueueStarted, pausedAt),
      waiting: sampler.between(pausedAt, reconnectAt),
      draining: sampler.between(reconnectAt, completedAt),
    };
    const hwm = peakRssMb(pid) ?? 0;
    const rss = (s: typeof phases.pausing) => `${peak(s, 'workerRssMb')} MB`;
    const ratio = idealS ? drainS / idealS : 0;
    return [
      {
        figure: `${count} syncs paused on an expired connection, then reconnected`,
        value:
          `${completedIn === null ? `NOT all completed: ${completedNow}/${count} within ${completeTimeoutMs / 1000} s` : `${completedNow}/${count} completed`}, ${stillPaused} left paused; ` +
          `all paused ${(pausedIn / 1000).toFixed(0)} s after enqueue (enqueue ${enqueueS.toFixed(0)} s, ${whilePaused.length} QuickBooks requests while paused); ` +
          `reconnect signalled ${resumed.body.signalled} in ${signalledS.toFixed(1)} s`,
        how:
          'steady-state documents (customer and items linked, no payments: 1 QuickBooks write each) enqueued by batch after POST /_sim/companies/:realm/tokens/revoke; ' +
          'counts from Temporal visibility (SyncState / ExecutionStatus); reconnect = POST /v1/connections/:realm/tokens + /reconnected',
      },
      {
        figure: 'Drain after the reconnect, against the budget',
        value:
          `${drainS.toFixed(0)} s for ${sent.length} QuickBooks calls (${batchRequests} of them batch requests; ${(sent.length / count).toFixed(2)} per sync, ${throttled} 429s) at a budget of ${budget}/min and ${batchesPerMinute} batches/min: ` +
          `ideal ${idealS.toFixed(0)} s, ratio ${ratio.toFixed(3)} (${ratio <= 1.1 ? 'within' : 'OVER'} 1.10); ` +
          `against one call per sync (${perSyncIdealS.toFixed(0)} s) ${(drainS / perSyncIdealS).toFixed(3)}; ` +
          `granted ${grantedPerMinute.toFixed(0)}/min from first to last call (${firstToLastS.toFixed(0)} s)`,
        how:
          "drain = reconnect to the last completion seen by visibility (polled every second); calls = non-429 requests in the simulator's " +
          `request log for the company after the reconnect; budget = QBO_REQUESTS_PER_MINUTE and QBO_BATCHES_PER_MINUTE as the worker reads them; ideal = max(calls ÷ budget, batch requests ÷ batch limit); QBO_BATCH_WRITES=${batchWrites}; ` +
          `worker CPU mean ${mean(phases.draining, 'workerCpu')} % of a core, machine idle mean ${mean(phases.draining, 'machineIdle')} % while draining`,
      },
      tick,
      {
        figure: 'Worker memory (peak RSS)',
        value:
          `${hwm} MB over the run (${hwm <= 400 ? 'within' : 'OVER'} 400 MB); by phase: pausing ${rss(phases.pausing)}, waiting and self-check tick ${rss(phases.waiting)}, draining ${rss(phases.draining)}` +
          ` (high-water mark before the reconnect ${hwmBeforeResume} MB)`,
        how: `VmHWM of the worker process (/proc/<pid>/status) at the end; by phase, the highest VmRSS sampled each second; WORKER_MAX_CACHED_WORKFLOWS=${cache}, WORKER_WORKFLOW_HEAP_MB=${heap}`,
      },
    ];
  } finally {
    await sampler.stop();
    await close();
  }
}
