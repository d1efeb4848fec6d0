import type { System } from '../test/support/system';
import {
  countSyncs,
  enqueueBatches,
  peakRssMb,
  sleep,
  steadyDocument,
  temporalClient,
  waitCount,
  warmCompany,
  workerPid,
  type Figure,
} from './measure';

/**
 * Part 5: `count` syncs pause on an expired connection; one reconnect resumes them. Seconds until none is
 * paused and until all completed, and the worker's peak RSS (VmHWM) over the whole run.
 */
export async function measurePaused(
  system: System,
  count: number,
  completeTimeoutMs: number,
): Promise<Figure[]> {
  const { client, close } = await temporalClient();
  const pid = workerPid(system);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, (pid && peakRssMb(pid)) || 0)), 1_000);
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
      20 * 60_000,
    );
    if (pausedIn === null) throw new Error('not every sync paused');
    await sleep(2_000);

    const tokens = (await system.sim('POST', `/_sim/companies/${realmId}/tokens`)).body;
    const reconnectAt = Date.now();
    const seeded = await system.connect(realmId, tokens);
    if (seeded.status >= 300) throw new Error(`could not seed tokens: ${seeded.text}`);
    const resumed = await system.api('POST', `/v1/connections/${realmId}/reconnected`, {}, system.adminKey);
    const signalledS = (Date.now() - reconnectAt) / 1000;
    const unpaused = await waitCount(
      'resumed',
      async () => count - (await countSyncs(client, realmId, `SyncState = 'paused'`)),
      count,
      completeTimeoutMs,
    );
    const completedIn = await waitCount(
      'completed',
      async () => (await countSyncs(client, realmId, `ExecutionStatus = 'Completed'`)) - 1,
      count,
      Math.max(0, completeTimeoutMs - (Date.now() - reconnectAt)),
    );
    const completedNow = (await countSyncs(client, realmId, `ExecutionStatus = 'Completed'`)) - 1;
    const throttled =
      (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body.byStatus['429'] ?? 0;
    const since = (ms: number | null) => (ms === null ? 'not reached' : `${(ms / 1000).toFixed(0)} s`);
    return [
      {
        figure: `${count} syncs paused on an expired connection, then reconnected`,
        value:
          `all paused ${(pausedIn / 1000).toFixed(0)} s after enqueue (enqueue ${enqueueS.toFixed(0)} s); reconnect signalled ${resumed.body.signalled} in ${signalledS.toFixed(1)} s; ` +
          `none paused after ${since(unpaused)}; all completed after ${completedIn === null ? `— not within ${completeTimeoutMs / 1000} s (${completedNow}/${count})` : `${((completedIn + (unpaused ?? 0)) / 1000).toFixed(0)} s`}; 429s ${throttled}`,
        how:
          'steady-state documents (1 QuickBooks write each) enqueued by batch after POST /_sim/companies/:realm/tokens/revoke; counts from Temporal visibility ' +
          '(SyncState / ExecutionStatus); times from the POST /v1/connections/:realm/tokens + /reconnected calls',
      },
      {
        figure: 'Worker peak RSS during the pause/resume run',
        value: pid ? `${peak} MB` : 'worker pid not found',
        how: 'VmHWM of the worker process (/proc/<worker pid>/status), sampled every second (target ≤ 400 MB)',
      },
    ];
  } finally {
    clearInterval(sampler);
    await close();
  }
}
