import type { ChangesSince, QboClient } from '../quickbooks/client';
import { trackedEntities } from '../quickbooks/webhook-events';

/** Intuit: a CDC answer holds at most 1,000 objects, across every entity asked for, with no paging. */
export const CDC_CAP = 1000;
/** Intuit: CDC looks back at most 30 days; we stay a day inside that. */
export const CDC_LOOKBACK_MS = 29 * 86_400_000;
/** Checkpoints step back this much, so a change stamped while an answer was built is seen next time. */
const OVERLAP_MS = 60_000;

export interface Swept {
  objects: ChangesSince['objects'];
  /** Where the next sweep starts (QuickBooks' clock). */
  checkpoint: string;
  calls: number;
}

const lastUpdated = (o: ChangesSince['objects'][number]) =>
  Date.parse(String((o.record.MetaData as { LastUpdatedTime?: string } | undefined)?.LastUpdatedTime ?? ''));

/**
 * Every change since `since`, however many: a full answer (1,000 objects) is never trusted as complete.
 * It is split by entity (the cap is shared across entities), and an entity still full on its own is
 * re-asked from the newest change it returned (QuickBooks orders changes oldest first), until an answer is
 * not full. The checkpoint is the earliest `time` of the answers that completed their window.
 */
export async function sweepSince(
  qbo: Pick<QboClient, 'changesSince'>,
  realmId: string,
  since: string,
  entities: readonly string[] = trackedEntities,
): Promise<Swept> {
  const objects: ChangesSince['objects'] = [];
  const seen = new Set<string>();
  let calls = 0;
  let checkpoint: number | undefined;
  const windows: { entities: readonly string[]; since: string }[] = [{ entities, since }];
  while (windows.length) {
    const window = windows.shift()!;
    const answer = await qbo.changesSince(realmId, [...window.entities], window.since);
    calls++;
    const full = answer.objects.length >= CDC_CAP;
    if (full && window.entities.length > 1) {
      const half = Math.ceil(window.entities.length / 2);
      windows.push(
        { entities: window.entities.slice(0, half), since: window.since },
        { entities: window.entities.slice(half), since: window.since },
      );
      continue;
    }
    for (const o of answer.objects) {
      const key = `${o.entity}:${o.record.Id}:${o.record.SyncToken ?? o.record.status}:${lastUpdated(o)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      objects.push(o);
    }
    if (full) {
      const newest = Math.max(...answer.objects.map(lastUpdated));
      if (!(newest > Date.parse(window.since))) {
        // More than 1,000 changes stamped with the same instant: no smaller window exists. Move past it.
        windows.push({
          entities: window.entities,
          since: new Date(Date.parse(window.since) + 1).toISOString(),
        });
      } else {
        windows.push({ entities: window.entities, since: new Date(newest).toISOString() });
      }
      continue;
    }
    const time = Date.parse(answer.time);
    if (!Number.isNaN(time)) checkpoint = Math.min(checkpoint ?? time, time);
  }
  const next = (checkpoint ?? Date.parse(since)) - OVERLAP_MS;
  return { objects, checkpoint: new Date(Math.max(next, Date.parse(since))).toISOString(), calls };
}

/** Where a sweep may start: the checkpoint, or (first sweep, or a checkpoint too old for CDC) 29 days back. */
export function sweepStart(checkpoint: string | undefined, now: number): string {
  const floor = now - CDC_LOOKBACK_MS;
  const at = checkpoint ? Date.parse(checkpoint) : NaN;
  return new Date(Number.isNaN(at) || at < floor ? floor : at).toISOString();
}
