import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { testServices } from '../support/env';
import { eventually } from '../support/http';
import {
  reconcileStatusQuery,
  reconcileWorkflowId,
  runReconciliationSignal,
  voidDuplicateSignal,
} from '../../workflows/reconcile-contract';

/**
 * The reconciliation workflow against the real Temporal dev server, with its activities replaced by
 * counters (their real behaviour is tested in reconcile-explanations): the schedule, run-now, a void
 * asked for twice, and continue-as-new. Time is real, so the schedule is a second.
 */
describe('reconcileCompany workflow', () => {
  const services = testServices();
  const taskQueue = `reconcile-${randomUUID().slice(0, 8)}`;
  const calls = { reconcile: 0, voids: [] as string[] };
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let connection: NativeConnection;

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    connection = await NativeConnection.connect({ address: services.temporalAddress });
    worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: { codePath: services.workflowBundlePath },
      activities: {
        reconcile: async () => {
          calls.reconcile++;
          return { reconciliationId: calls.reconcile, mismatches: 0, qboCalls: 3, totals: {} };
        },
        voidDuplicateRecord: async (input: { idempotencyKey: string }) => {
          calls.voids.push(input.idempotencyKey);
          return { status: 'done', voided: '1' };
        },
      },
    });
    running = worker.run();
    client = new Client({ connection: await Connection.connect({ address: services.temporalAddress }) });
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
  });

  it('runs at start and on its schedule, on demand, voids a duplicate once, and continues as new', async () => {
    const realmId = `realm-${randomUUID().slice(0, 8)}`;
    const handle = await client.workflow.start('reconcileCompany', {
      workflowId: reconcileWorkflowId(realmId),
      taskQueue,
      args: [{ realmId, everyMinutes: 1 / 60, runsPerHistory: 4 }],
    });
    const status = () => handle.query(reconcileStatusQuery);
    await eventually(
      () => Promise.resolve(calls.reconcile),
      (n) => n >= 2,
      20_000,
      'a scheduled run',
    );

    const request = { idempotencyKey: `void:${realmId}:Invoice:7`, entity: 'Invoice' as const, qboId: '7' };
    await handle.signal(voidDuplicateSignal, request);
    await handle.signal(voidDuplicateSignal, request);
    await handle.signal(runReconciliationSignal);
    await eventually(status, (s) => s.voidsDone.length >= 1, 20_000, 'the void');
    // The run after the voids starts only when every queued void is done.
    const afterVoid = calls.reconcile;
    await eventually(
      () => Promise.resolve(calls.reconcile),
      (n) => n > afterVoid,
      20_000,
      'the run after the void',
    );
    assert.deepEqual(calls.voids, [request.idempotencyKey], 'asked twice, voided once');

    // After 4 runs the workflow continues as new and keeps reconciling in the next run.
    const firstRun = (await handle.describe()).runId;
    await eventually(
      async () => (await client.workflow.getHandle(handle.workflowId).describe()).runId,
      (runId) => runId !== firstRun,
      30_000,
      'continue-as-new',
    );
    const before = calls.reconcile;
    await eventually(
      () => Promise.resolve(calls.reconcile),
      (n) => n > before,
      20_000,
      'a run after continue-as-new',
    );
    await client.workflow.getHandle(handle.workflowId).terminate('test done');
  });
});
