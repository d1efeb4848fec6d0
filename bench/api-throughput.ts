import { syncStartOptions } from '../api/services/enqueue-sync';
import { invoiceDocument } from '../test/support/documents';
import type { System } from '../test/support/system';
import { documentSubmittedSignal, syncWorkflowType, type SyncDocument } from '../workflows/contract';
import { temporalClient, type Figure } from './measure';
import { cpuMeter, describeCpu, systemProcesses } from './process-cpu';

const CLIENTS = 20;

/** Runs `call` once per item from `CLIENTS` concurrent callers; returns calls per second and failures. */
async function concurrently<T>(items: T[], call: (item: T) => Promise<boolean>) {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < items.length; i = next++) if (!(await call(items[i]))) failed++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: items.length / seconds, seconds, failed };
}

/**
 * The ceiling: the Temporal call the API makes for a new document (a workflow start, same options and
 * payload, no payload codec), and a signal-with-start of the same, from a bare client in this process
 * against the same dev server, on a task queue no worker polls.
 */
async function rawCeilings(realmId: string, count: number) {
  const { client, close } = await temporalClient();
  try {
    const queue = `bench-ceiling-${Date.now()}`;
    const docs = () => Array.from({ length: count }, () => invoiceDocument(realmId));
    const start = await concurrently(docs(), async (doc: SyncDocument) => {
      await client.workflow.start(syncWorkflowType, syncStartOptions(queue, doc));
      return true;
    });
    const signalWithStart = await concurrently(docs(), async (doc: SyncDocument) => {
      await client.workflow.signalWithStart(syncWorkflowType, {
        ...syncStartOptions(queue, doc),
        signal: documentSubmittedSignal,
        signalArgs: [{ document: doc }],
      });
      return true;
    });
    return { start: start.perSecond, signalWithStart: signalWithStart.perSecond };
  } finally {
    await close();
  }
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);

/**
 * Part 4: how fast the API accepts work, as a ratio to the raw Temporal call rate measured in the same run
 * (before and after the API, to show drift on a shared machine), with the worker stopped so it measures
 * the API (validation, database check, workflow start) and not the sync itself. Single POSTs from 20
 * concurrent clients; then batches of 500. CPU of each process over the single POSTs.
 */
export async function measureApiThroughput(system: System): Promise<Figure[]> {
  await system.killWorker('SIGTERM');
  const { realmId } = await system.newCompany();
  const singles = Number(process.env.BENCH_API_SINGLES ?? 2_000);
  const rawCount = Number(process.env.BENCH_API_RAW ?? 2_000);

  const before = await rawCeilings(realmId, rawCount);
  const meter = await cpuMeter(async () => ({
    ...(await systemProcesses(system)),
    'bench clients': [process.pid],
  }));
  const docs = Array.from({ length: singles }, () => invoiceDocument(realmId));
  const api = await concurrently(
    docs,
    async (doc) => (await system.api('POST', '/v1/syncs', doc)).status === 202,
  );
  const cpu = describeCpu(await meter.stop());
  const after = await rawCeilings(realmId, rawCount);
  const rawStart = (before.start + after.start) / 2;
  const rawSignalWithStart = (before.signalWithStart + after.signalWithStart) / 2;

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
  const batchRate = batchDocs / batchSeconds;
  await system.startWorker();
  const shared =
    "on 2 cores shared with other engineers' runs: the API, the dev server, Postgres and the clients compete for them, so the ratio is the figure to compare, not the absolute rate";
  return [
    {
      figure: 'Enqueue ceiling: raw workflow starts, bare Temporal client',
      value: `${Math.round(rawStart)} calls/s (${Math.round(before.start)} before the API run, ${Math.round(after.start)} after)`,
      how: `${rawCount} client.workflow.start calls with the API's start options (api/services/enqueue-sync.ts syncStartOptions: same input, search attributes, memo, summary; default data converter) from ${CLIENTS} concurrent callers in the bench process, against the same dev server, on a queue no worker polls; ${shared}`,
    },
    {
      figure: 'Enqueue ceiling: raw signal-with-start, bare Temporal client',
      value: `${Math.round(rawSignalWithStart)} calls/s (${Math.round(before.signalWithStart)} before, ${Math.round(after.signalWithStart)} after)`,
      how: `as above with client.workflow.signalWithStart (the document in the start input and in the documentSubmitted signal)`,
    },
    {
      figure: 'API enqueue, single POST /v1/syncs',
      value: `${Math.round(api.perSecond)} docs/s = ${ratio(api.perSecond, rawStart)} of raw starts (${ratio(api.perSecond, rawSignalWithStart)} of raw signal-with-start); goal ≥ 0.8`,
      how: `${singles} valid new documents from ${CLIENTS} concurrent keep-alive clients in the bench process, ${api.seconds.toFixed(1)} s, ${api.failed} refused; worker stopped. CPU over those seconds (% of one core): ${cpu}; ${shared}`,
    },
    {
      figure: 'API enqueue, POST /v1/syncs/batch',
      value: `${Math.round(batchRate)} docs/s = ${ratio(batchRate, rawStart)} of raw starts`,
      how: `${batches} sequential batches of 500 new documents (${batchDocs} accepted) in ${batchSeconds.toFixed(1)} s (${(batchSeconds / batches).toFixed(1)} s per batch); ${shared}`,
    },
  ];
}
