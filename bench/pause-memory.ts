import { startSystem } from '../test/support/system';
import {
  countSyncs,
  enqueueBatches,
  peakRssMb,
  steadyDocument,
  temporalClient,
  waitCount,
  warmCompany,
  workerPid,
} from './measure';
import { startBenchServices } from './services';

/**
 * `PAUSE_MEMORY_VARIANTS='[{"WORKER_MAX_CACHED_WORKFLOWS":"20"}, …]' tsx bench/pause-memory.ts <syncs>`: the
 * worker's peak RSS (VmHWM) while `syncs` syncs pause on an expired connection, for each worker environment
 * given (a fresh worker and API each), with the real activities, Postgres and simulator. Smaller and quicker
 * than `npm run bench -- paused`, to compare settings; prints one line per variant.
 */
async function main() {
  const count = Number(process.argv[2] ?? 600);
  const variants: Record<string, string>[] = JSON.parse(process.env.PAUSE_MEMORY_VARIANTS ?? '[{}]');
  const services = await startBenchServices();
  try {
    for (const env of variants) {
      const system = await startSystem({ env });
      const { client, close } = await temporalClient();
      try {
        const pid = workerPid(system);
        if (!pid) throw new Error('worker pid not found');
        const { realmId } = await system.newCompany();
        const template = await warmCompany(system, realmId, client);
        await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
        await enqueueBatches(
          system,
          Array.from({ length: count }, () => steadyDocument(template)),
        );
        const pausedIn = await waitCount(
          'paused',
          () => countSyncs(client, realmId, `SyncState = 'paused'`),
          count,
          20 * 60_000,
        );
        console.log(
          `${JSON.stringify(env)}: ${count} syncs ${pausedIn === null ? 'NOT all paused' : `paused in ${(pausedIn / 1000).toFixed(0)} s`}, worker peak RSS ${peakRssMb(pid)} MB`,
        );
      } finally {
        await close();
        await system.stop();
      }
    }
  } finally {
    await services.stop();
  }
}

void main();
