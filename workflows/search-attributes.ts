import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { searchAttributes as keys, type SyncStatus } from './contract';

/**
 * Returns a function that keeps the search attributes operators filter on in step with the status,
 * upserting only what changed (each upsert is a history event and a billable action). Create one per
 * workflow run. With `coalesce`, it starts from the attributes the run was started with and publishes
 * the current step only while the sync waits, so a sync upserts once per state change, not per step.
 * With `changes` (needs `coalesce`), a wait on changed_in_quickbooks also adds the record's entity type
 * to ChangedInQuickBooks, in the same upsert; a continued run starts from the attribute it carries.
 */
export function searchAttributePublisher(options?: {
  coalesce: boolean;
  changes?: boolean;
}): (status: SyncStatus, batchIds: string[]) => void {
  const published = new Map<string, string>();
  const coalesce = options?.coalesce ?? false;
  const changes = coalesce && (options?.changes ?? false);
  const changedRecords = new Set<string>();
  if (coalesce) {
    const started = workflowInfo().typedSearchAttributes;
    for (const key of Object.values(keys)) {
      const value = started.get(key as never);
      published.set(key.name, JSON.stringify(value ?? null));
    }
    for (const entity of started.get(keys.changedInQuickbooks) ?? []) changedRecords.add(entity);
  }
  return (status, batchIds) => {
    const waiting = status.state === 'paused' || status.state === 'needs_attention';
    const error = waiting ? status.lastError : null;
    if (changes && error?.pattern === 'changed_in_quickbooks') {
      changedRecords.add(error.step === 'payments' ? 'Payment' : 'Invoice');
    }
    const wanted: SearchAttributeUpdatePair[] = [
      { key: keys.realmId, value: status.realmId },
      { key: keys.sourceInvoiceId, value: status.sourceInvoiceId },
      { key: keys.syncState, value: status.state },
      { key: keys.currentStep, value: coalesce && !waiting ? null : status.currentStep },
      { key: keys.pauseReason, value: status.pauseReason },
      { key: keys.errorPattern, value: waiting ? (status.lastError?.pattern ?? null) : null },
      { key: keys.batchIds, value: batchIds.length ? batchIds : null },
      ...(changes
        ? [{ key: keys.changedInQuickbooks, value: changedRecords.size ? [...changedRecords].sort() : null }]
        : []),
    ];
    const changed = wanted.filter((pair) => published.get(pair.key.name) !== JSON.stringify(pair.value));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const pair of changed) published.set(pair.key.name, JSON.stringify(pair.value));
  };
}
