import type { SyncDocument } from '../../workflows/contract';
import { eventually } from './http';
import { recordHistory } from './record-history';
import type { System } from './system';

/** Enqueues a document and returns its sync id; fails the test on anything but 202. */
export async function enqueue(system: System, doc: SyncDocument): Promise<string> {
  const res = await system.api('POST', '/v1/syncs', doc);
  if (res.status !== 202) throw new Error(`enqueue refused: ${res.status} ${res.text}`);
  return res.body.syncId;
}

/** Reads a sync through the API until it reaches `state` (recording its history when asked to). */
export async function waitForState(system: System, syncId: string, state: string, timeoutMs = 60_000) {
  const status = await eventually(
    async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body,
    (s) => s?.state === state,
    timeoutMs,
    `sync ${syncId} to be ${state}`,
  );
  await recordHistory(syncId, `${state}-${status.lastError?.pattern ?? 'ok'}-${syncId.slice(-8)}`);
  return status;
}

/** Every record of an entity in the simulated company, including inactive, voided and deleted ones. */
export async function qboRecords(system: System, realmId: string, entity: string): Promise<any[]> {
  return (await system.sim('GET', `/_sim/companies/${realmId}/records/${entity}`)).body.records;
}

/** Signals a needs_attention or paused sync to try again (admin key). */
export async function retry(system: System, syncId: string) {
  const res = await system.api('POST', `/v1/syncs/${encodeURIComponent(syncId)}/retry`, {}, system.adminKey);
  if (res.status !== 202) throw new Error(`retry refused: ${res.status} ${res.text}`);
}
