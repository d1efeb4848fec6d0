import { classifyFault, QboFault } from './faults';

/**
 * One call as it waits to be sent, alone or in a batch: a create or update, or one page of a query
 * (the select already carries its STARTPOSITION and MAXRESULTS).
 */
export type PendingCall =
  | {
      kind: 'write';
      entity: string;
      operation: 'create' | 'update';
      body: Record<string, unknown>;
      /** Used when the write goes alone (QuickBooks has no requestid per batch item). */
      requestId: string;
    }
  | { kind: 'query'; select: string };

/** The batch request body for `calls`; each item's bId is its index. */
export function batchBody(calls: PendingCall[]): Record<string, unknown> {
  return {
    BatchItemRequest: calls.map((c, i) =>
      c.kind === 'query'
        ? { bId: String(i), Query: c.select }
        : { bId: String(i), operation: c.operation, [c.entity]: c.body },
    ),
  };
}

/** How a call fails when its batch failed as a whole: a write may have committed, a query never matters. */
export function batchFailure(call: PendingCall, err: unknown): unknown {
  if (call.kind === 'query' && err instanceof QboFault && err.uncertain)
    return new QboFault(err.fault, false);
  return err;
}

/**
 * Reads a batch answer into one outcome per call, shaped as the call's own answer would be alone
 * (`{ Entity: record }` or `{ QueryResponse }`), or a QboFault. For a write, a Fault that may hide a
 * commit (a SystemFault in an item) and an item missing from the answer are uncertain: the caller looks
 * the record up before writing again.
 */
export function batchOutcomes(
  calls: PendingCall[],
  data: Record<string, unknown>,
): PromiseSettledResult<Record<string, unknown>>[] {
  const items = new Map<string, Record<string, unknown>>();
  for (const item of (data.BatchItemResponse ?? []) as Record<string, unknown>[]) {
    if (item && typeof item === 'object') items.set(String(item.bId), item);
  }
  return calls.map((call, i) => {
    const write = call.kind === 'write';
    const item = items.get(String(i));
    if (!item) {
      const what = write ? `${call.entity} ${call.operation}` : 'query';
      // As a lost answer is classified: a write may have committed, and trying again may help.
      const fault = classifyFault(502, `QuickBooks answered the batch without item ${i} (${what})`);
      return { status: 'rejected', reason: new QboFault(fault, write) };
    }
    if (item.Fault) {
      const fault = classifyFault(400, { Fault: item.Fault });
      return {
        status: 'rejected',
        reason: new QboFault(fault, write && fault.pattern === 'transient_server'),
      };
    }
    return {
      status: 'fulfilled',
      value: write ? { [call.entity]: item[call.entity] } : { QueryResponse: item.QueryResponse ?? {} },
    };
  });
}
