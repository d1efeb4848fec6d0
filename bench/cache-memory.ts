import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import { startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { invoiceDocument } from '../test/support/documents';
import { statusQuery, SYNC_REVISION } from '../workflows/contract';

/**
 * `tsx bench/cache-memory.ts <syncs> <cache>`: the worker's memory with many syncs paused, without
 * QuickBooks or Postgres (mocked activities; every sync pauses for auth at its invoice), on a dev server
 * of its own. Prints the worker process's RSS before and after, and per paused sync. Small enough to run
 * on a shared machine; the 5,000-sync figure is `npm run bench -- paused`.
 */
async function main() {
  const syncs = Number(process.argv[2] ?? 500);
  const cache = Number(process.argv[3] ?? 100);
  const server = await startTemporalDevServer({ headless: true });
  try {
    const bundle = await buildWorkflowBundle(`${__dirname}/../.build/cache-memory-bundle.js`);
    const native = await NativeConnection.connect({ address: server.address });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const ok = async () => ({ qboId: '1', action: 'unchanged' as const });
    const worker = await Worker.create({
      connection: native,
      taskQueue: 'cache-memory',
      workflowBundle: { codePath: bundle },
      maxCachedWorkflows: cache,
      activities: {
        ensureCustomer: ok,
        ensureItem: ok,
        ensurePayment: ok,
        applyDecision: ok,
        voidRemovedPayments: async () => ({ voided: [] }),
        checkPauseCause: async () => ({ cleared: false }),
        ensureInvoice: async () => {
          throw ApplicationFailure.create({
            type: 'auth_expired',
            nonRetryable: true,
            details: [
              {
                pattern: 'auth_expired',
                code: 'x',
                message: 'x',
                detail: '',
                hint: '',
                connectionVersion: 1,
              },
            ],
          });
        },
      },
    });
    const running = worker.run();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
    const ids: string[] = [];
    for (let i = 0; i < syncs; i += 50) {
      const batch = Array.from({ length: Math.min(50, syncs - i) }, (_, j) => {
        const doc = invoiceDocument('9130000000000001', { tag: `m${i + j}` });
        const id = `sync:${doc.realmId}:${doc.invoice.sourceId}`;
        ids.push(id);
        return client.workflow.start('syncInvoice', {
          workflowId: id,
          taskQueue: 'cache-memory',
          args: [{ revision: SYNC_REVISION, document: doc, timings: { pauseCheckMs: 3_600_000 } }],
        });
      });
      await Promise.all(batch);
    }
    // Until every sync is paused (a query replays evicted ones, so query only a sample at the end).
    const started = Date.now();
    for (;;) {
      const count = await client.workflow.count(`WorkflowType = 'syncInvoice' AND SyncState = 'paused'`);
      if (count.count >= syncs || Date.now() - started > 600_000) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const settled = Date.now() - started;
    await new Promise((r) => setTimeout(r, 3_000));
    global.gc?.();
    const after = process.memoryUsage().rss;
    const state = (await client.workflow.getHandle(ids[0]).query(statusQuery)).state;
    clearInterval(sample);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    console.log(
      JSON.stringify({
        syncs,
        cache,
        rssBeforeMb: mb(before),
        rssAfterMb: mb(after),
        rssPeakMb: mb(peak),
        perPausedSyncMb: ((after - before) / 1024 / 1024 / syncs).toFixed(3),
        allPausedInS: (settled / 1000).toFixed(1),
        firstState: state,
      }),
    );
    worker.shutdown();
    await running;
    await connection.close();
    await native.close();
  } finally {
    await server.stop();
  }
}

void main();
