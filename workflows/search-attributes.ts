import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes as keys, type SyncStatus } from './contract';

/**
 * Returns a function that keeps the search attributes operators filter on in step with the status,
 * upserting only what changed (each upsert is a history event). Create one per workflow run.
 */
export function searchAttributePublisher(): (status: SyncStatus, batchIds: string[]) => void {
  const published = new Map<string, string>();
  return (status, batchIds) => {
    const waiting = status.state === 'paused' || status.state === 'needs_attention';
    const wanted: SearchAttributeUpdatePair[] = [
      { key: keys.realmId, value: status.realmId },
      { key: keys.sourceInvoiceId, value: status.sourceInvoiceId },
      { key: keys.syncState, value: status.state },
      { key: keys.currentStep, value: status.currentStep },
      { key: keys.pauseReason, value: status.pauseReason },
      { key: keys.errorPattern, value: waiting ? (status.lastError?.pattern ?? null) : null },
      { key: keys.batchIds, value: batchIds.length ? batchIds : null },
    ];
    const changed = wanted.filter((pair) => published.get(pair.key.name) !== JSON.stringify(pair.value));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const pair of changed) published.set(pair.key.name, JSON.stringify(pair.value));
  };
}
