import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import type { DevServer } from '../scripts/lib/temporal-dev-server';
import { invoiceDocument } from '../test/support/documents';
import type { SyncTimings } from '../workflows/contract';

export interface MockPausedWorker {
  client: Client;
  worker: Worker;
  /** Starts `count` syncs (each pauses for auth at its invoice); returns their ids once all are paused. */
  pauseSyncs(count: number, revision: number, timings: Partial<SyncTimings>): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A worker in this process hosting the real sync workflow with mocked activities (no QuickBooks, no
 * Postgres): every sync pauses on an expired connection at its invoice and its self-checks never clear.
 * For benches of the worker alone (memory, self-check ticks).
 */
export async function startMockPausedWorker(
  server: DevServer,
  options: { taskQueue: string; maxCachedWorkflows: number },
): Promise<MockPausedWorker> {
  const bundle = await buildWorkflowBundle(`${__dirname}/../.build/${options.taskQueue}-bundle.js`);
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const ok = async () => ({ qboId: '1', action: 'unchanged' as const });
  const expired = () =>
    ApplicationFailure.create({
      type: 'auth_expired',
      nonRetryable: true,
      details: [
        { pattern: 'auth_expired', code: 'x', message: 'x', detail: '', hint: '', connectionVersion: 1 },
      ],
    });
  const worker = await Worker.create({
    connection: native,
    taskQueue: options.taskQueue,
    workflowBundle: { codePath: bundle },
    maxCachedWorkflows: options.maxCachedWorkflows,
    activities: {
      ensureCustomer: ok,
      ensureItem: ok,
      ensurePayment: ok,
      applyDecision: ok,
      voidRemovedPayments: async () => ({ voided: [] }),
      checkPauseCause: async () => ({ cleared: false }),
      ensureInvoice: async () => {
        throw expired();
      },
    },
  });
  const running = worker.run();
  let started = 0;
  return {
    client,
    worker,
    async pauseSyncs(count, revision, timings) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 50) {
        const batch = Array.from({ length: Math.min(50, count - i) }, () => {
          const doc = invoiceDocument('9130000000000001', { tag: `${options.taskQueue}-${started++}` });
          const id = `sync:${doc.realmId}:${doc.invoice.sourceId}`;
          ids.push(id);
          return client.workflow.start('syncInvoice', {
            workflowId: id,
            taskQueue: options.taskQueue,
            args: [{ revision, document: doc, timings }],
          });
        });
        await Promise.all(batch);
      }
      // Until every sync is paused (a query would replay evicted ones: count with visibility instead).
      const since = Date.now();
      const query = `WorkflowType = 'syncInvoice' AND SyncState = 'paused' AND TaskQueue = '${options.taskQueue}'`;
      while ((await client.workflow.count(query)).count < ids.length) {
        if (Date.now() - since > 20 * 60_000) throw new Error('not every sync paused');
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return ids;
    },
    async close() {
      // It may have stopped on its own (its server went away).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    },
  };
}
