import { eq } from 'drizzle-orm';
import { batches, batchItems } from '../../db/schema';
import { syncStates, type SyncState } from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import { listSyncs } from './list-syncs';

export interface BatchProgress {
  batchId: string;
  total: number;
  rejected: number;
  counts: Record<SyncState, number>;
  done: number;
  finished: boolean;
}

/** A batch's counts per state (documents, not syncs); undefined when there is no such batch. */
export async function batchProgress(
  deps: Pick<ApiDeps, 'db' | 'temporal'>,
  batchId: string,
): Promise<BatchProgress | undefined> {
  const [batch] = await deps.db.select().from(batches).where(eq(batches.id, batchId));
  if (!batch) return undefined;
  const items = await deps.db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
  const counts = Object.fromEntries(syncStates.map((s) => [s, 0])) as Record<SyncState, number>;
  // Documents that already matched QuickBooks count as completed; the rest are read from visibility.
  counts.completed += items.filter((i) => i.outcome === 'unchanged').length;
  const live = await listSyncs(deps.temporal, { batchId, limit: batch.total });
  const latestPerSync = new Map<string, SyncState>();
  for (const s of live) if (!latestPerSync.has(s.syncId)) latestPerSync.set(s.syncId, s.state);
  // Counted per document: a document sent twice in one batch is two items of the same sync.
  for (const item of items) {
    if (item.outcome === 'rejected' || item.outcome === 'unchanged' || !item.syncId) continue;
    counts[latestPerSync.get(item.syncId) ?? 'queued'] += 1;
  }
  const rejected = items.filter((i) => i.outcome === 'rejected').length;
  const done = counts.completed + counts.failed + rejected;
  return { batchId, total: batch.total, rejected, counts, done, finished: done === batch.total };
}
