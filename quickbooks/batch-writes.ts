import { classifyFault, QboFault } from './faults';

/** One create or update as it waits to be sent, alone or in a batch. */
export interface PendingWrite {
  entity: string;
  operation: 'create' | 'update';
  body: Record<string, unknown>;
  /** Used when the write goes alone (QuickBooks has no requestid per batch item). */
  requestId: string;
}

/** The batch request body for `writes`; each item's bId is its index. */
export function batchBody(writes: PendingWrite[]): Record<string, unknown> {
  return {
    BatchItemRequest: writes.map((w, i) => ({ bId: String(i), operation: w.operation, [w.entity]: w.body })),
  };
}

/**
 * Reads a batch answer into one outcome per write: the entity (as `{ Entity: record }`, the shape a single
 * write's answer has) or a QboFault. A Fault that may hide a commit (a SystemFault in an item) and an item
 * missing from the answer are uncertain: the caller looks the record up before writing again.
 */
export function batchOutcomes(
  writes: PendingWrite[],
  data: Record<string, unknown>,
): PromiseSettledResult<Record<string, unknown>>[] {
  const items = new Map<string, Record<string, unknown>>();
  for (const item of (data.BatchItemResponse ?? []) as Record<string, unknown>[]) {
    if (item && typeof item === 'object') items.set(String(item.bId), item);
  }
  return writes.map((w, i) => {
    const item = items.get(String(i));
    if (!item)
      return {
        status: 'rejected',
        reason: new QboFault(
          // As a lost answer is classified: the item may have committed, and trying again may help.
          classifyFault(502, `QuickBooks answered the batch without item ${i} (${w.entity} ${w.operation})`),
          true,
        ),
      };
    if (item.Fault) {
      const fault = classifyFault(400, { Fault: item.Fault });
      return { status: 'rejected', reason: new QboFault(fault, fault.pattern === 'transient_server') };
    }
    return { status: 'fulfilled', value: { [w.entity]: item[w.entity] } };
  });
}
