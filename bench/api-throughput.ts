import { invoiceDocument } from '../test/support/documents';
import type { System } from '../test/support/system';
import type { Figure } from './measure';

/**
 * Part 4: how fast the API accepts work, with the worker stopped so it measures the API (validation,
 * database check, workflow start) and not the sync itself. Single POSTs from 20 concurrent clients; then
 * batches of 500.
 */
export async function measureApiThroughput(system: System): Promise<Figure[]> {
  await system.killWorker('SIGTERM');
  const { realmId } = await system.newCompany();
  const singles = Number(process.env.BENCH_API_SINGLES ?? 2_000);
  const docs = Array.from({ length: singles }, () => invoiceDocument(realmId));
  let next = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let i = next++; i < docs.length; i = next++) {
        const res = await system.api('POST', '/v1/syncs', docs[i]);
        if (res.status !== 202) refused++;
      }
    }),
  );
  const singleSeconds = (performance.now() - started) / 1000;

  const batches = Number(process.env.BENCH_API_BATCHES ?? 6);
  let batchDocs = 0;
  const batchStarted = performance.now();
  for (let b = 0; b < batches; b++) {
    const res = await system.api('POST', '/v1/syncs/batch', {
      documents: Array.from({ length: 500 }, () => invoiceDocument(realmId)),
    });
    if (res.status !== 202) throw new Error(`batch refused: ${res.text.slice(0, 300)}`);
    batchDocs += res.body.accepted;
  }
  const batchSeconds = (performance.now() - batchStarted) / 1000;
  await system.startWorker();
  return [
    {
      figure: 'API enqueue, single POST /v1/syncs',
      value: `${Math.round(singles / singleSeconds)} docs/s`,
      how: `${singles} valid documents from 20 concurrent keep-alive clients in this process, ${singleSeconds.toFixed(1)} s, ${refused} refused; each starts a workflow (worker stopped)`,
    },
    {
      figure: 'API enqueue, POST /v1/syncs/batch',
      value: `${Math.round(batchDocs / batchSeconds)} docs/s`,
      how: `${batches} sequential batches of 500 documents (${batchDocs} accepted) in ${batchSeconds.toFixed(1)} s (${(batchSeconds / batches).toFixed(1)} s per batch)`,
    },
  ];
}
