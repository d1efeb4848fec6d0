import {
  Client,
  Connection,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import type { createActivities } from '../../activities';
import {
  searchAttributes,
  statusQuery,
  SYNC_REVISION,
  type ErrorPattern,
  type SyncDocument,
  type SyncStartInput,
  type SyncStatus,
  type SyncTimings,
} from '../../workflows/contract';
import { invoiceDocument } from '../support/documents';
import { eventually } from '../support/http';
import { testServices } from '../support/env';

/**
 * Workflow tests with mocked activities on the dev server `npm test` starts (the time-skipping test
 * server cannot be downloaded here): a worker of the real workflow bundle on a task queue of its own,
 * activities that answer as each test scripts them, and short timings so each test takes seconds.
 */
type Activities = ReturnType<typeof createActivities>;
export type ActivityName = keyof Activities;

export const fastTimings: SyncTimings = {
  pauseCheckMs: 1_000,
  pauseCheckMaxMs: 1_000,
  outageRetryMs: 1_500,
  versionsPerRun: 50,
};

/** An activity failure as activities/application-failure.ts builds one. */
export function failure(pattern: ErrorPattern, extra: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({
    type: pattern,
    message: `QuickBooks test: ${pattern}`,
    nonRetryable: true,
    details: [{ pattern, code: 'test', message: `${pattern} (test)`, detail: '', hint: '', ...extra }],
  });
}

export interface Harness {
  client: Client;
  taskQueue: string;
  /** Every activity call, in order: name and input. */
  calls: { name: ActivityName; input: any }[];
  /** Scripts an activity for one document's sync (by its realm): its next calls answer with these, in order. */
  script(doc: SyncDocument, name: ActivityName, ...answers: ((input: any) => unknown)[]): void;
  start(doc: SyncDocument, input?: Partial<SyncStartInput>): Promise<WorkflowHandleWithFirstExecutionRunId>;
  waitFor(handle: WorkflowHandle, test: (s: SyncStatus) => boolean, what: string): Promise<SyncStatus>;
  count(name: ActivityName): number;
  eventTypes(handle: WorkflowHandle): Promise<string[]>;
  close(): Promise<void>;
}

const EventType = temporal.api.enums.v1.EventType;

export async function createHarness(): Promise<Harness> {
  const services = testServices();
  const taskQueue = `wf-test-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address: services.temporalAddress });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: services.temporalAddress });
  const calls: Harness['calls'] = [];
  const scripts = new Map<string, ((input: any) => unknown)[]>();
  const ensured = () => ({ qboId: `qbo-${calls.length}`, action: 'created' as const });
  const defaults = new Map<ActivityName, (input: any) => unknown>([
    ['ensureCustomer', ensured],
    ['ensureItem', ensured],
    ['ensureInvoice', ensured],
    ['ensurePayment', ensured],
    ['applyDecision', (input) => ({ qboId: input.decision.qboId ?? 'manual', action: 'linked' })],
    ['voidRemovedPayments', () => ({ voided: [] })],
    ['checkPauseCause', () => ({ cleared: false })],
  ]);
  const activity =
    (name: ActivityName) =>
    async (input: any): Promise<unknown> => {
      calls.push({ name, input });
      const answer = scripts.get(`${name} ${input.realmId}`)?.shift() ?? defaults.get(name)!;
      const result = await answer(input);
      if (result instanceof Error) throw result;
      return result;
    };
  const activities = Object.fromEntries([...defaults.keys()].map((name) => [name, activity(name)]));
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: { codePath: services.workflowBundlePath },
    activities,
    maxCachedWorkflows: 20,
  });

  const running = worker.run();
  const harness: Harness = {
    client,
    taskQueue,
    calls,
    script(doc, name, ...answers) {
      const key = `${name} ${doc.realmId}`;
      scripts.set(key, [...(scripts.get(key) ?? []), ...answers]);
    },
    start(doc, input = {}) {
      return client.workflow.start('syncInvoice', {
        workflowId: `sync:${doc.realmId}:${doc.invoice.sourceId}`,
        taskQueue,
        args: [{ revision: SYNC_REVISION, document: doc, timings: fastTimings, ...input }],
        // As the API starts a sync (api/services/enqueue-sync.ts).
        typedSearchAttributes: [
          { key: searchAttributes.realmId, value: doc.realmId },
          { key: searchAttributes.sourceInvoiceId, value: doc.invoice.sourceId },
          { key: searchAttributes.syncState, value: 'queued' },
        ],
      });
    },
    waitFor(handle, test, what) {
      return eventually(() => handle.query(statusQuery), test, 20_000, what);
    },
    count: (name) => calls.filter((c) => c.name === name).length,
    async eventTypes(handle) {
      const history = await handle.fetchHistory();
      return (history.events ?? []).map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));
    },
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
  return harness;
}

/** A document for the tests: a company of its own, one customer, two items, optional payments. */
export function testDocument(overrides: Partial<SyncDocument> = {}): SyncDocument {
  return invoiceDocument(`wf-${randomBytes(4).toString('hex')}`, overrides);
}
