import type { Client } from '@temporalio/client';
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
async function rawCeilings(client: Client, realmId: string, count: number) {
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
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const ratio = (a: number, b: number) => (a / b).toFixed(2);

/**
 * Part 4: how fast the API accepts work, as a ratio to the raw Temporal call rate measured in the same
 * run, with the worker stopped so it measures the API (validation, database check, workflow start) and
 * not the sync itself. Rounds alternate raw calls and single POSTs from 20 concurrent clients, so a load
 * that drifts on a shared machine weighs on both sides of each round's ratio; the figure is the median
 * round. Then batches of 500. CPU of each process over the single POSTs.
 */
export async function measureApiThroughput(system: System): Promise<Figure[]> {
  await system.killWorker('SIGTERM');
  const { realmId } = await system.newCompany();
  const rounds = Number(process.env.BENCH_API_ROUNDS ?? 5);
  const singles = Number(process.env.BENCH_API_SINGLES ?? 2_000);
  const rawCount = Number(process.env.BENCH_API_RAW ?? 1_000);
  const { client, close } = await temporalClient();
  const perRound: { start: number; signalWithStart: number; api: number }[] = [];
  const cpuShares: { seconds: number; shares: Record<string, number> }[] = [];
  let refused = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const raw = await rawCeilings(client, realmId, Math.ceil(rawCount / rounds));
      const meter = await cpuMeter(async () => ({
        ...(await systemProcesses(system)),
        'bench clients': [process.pid],
      }));
      const docs = Array.from({ length: Math.ceil(singles / rounds) }, () => invoiceDocument(realmId));
      const api = await concurrently(
        docs,
        async (doc) => (await system.api('POST', '/v1/syncs', doc)).status === 202,
      );
      cpuShares.push({ seconds: api.seconds, shares: await meter.stop() });
      refused += api.failed;
      perRound.push({ ...raw, api: api.perSecond });
    }
  } finally {
    await close();
  }
  const totalSeconds = cpuShares.reduce((s, c) => s + c.seconds, 0);
  const cpu = describeCpu(
    Object.fromEntries(
      Object.keys(cpuShares[0].shares).map((role) => [
        role,
        cpuShares.reduce((s, c) => s + c.shares[role] * c.seconds, 0) / totalSeconds,
      ]),
    ),
  );
  const rawStart = median(perRound.map((p) => p.start));
  const rawSignalWithStart = median(perRound.map((p) => p.signalWithStart));
  const apiRate = median(perRound.map((p) => p.api));
  const startRatios = perRound.map((p) => p.api / p.start);
  const swsRatios = perRound.map((p) => p.api / p.signalWithStart);
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

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
    'the API, the dev server, Postgres and the clients share the machine’s cores, so the ratio is the figure to compare, not the absolute rate';
  const rates = (pick: (p: (typeof perRound)[number]) => number) =>
    perRound.map((p) => Math.round(pick(p))).join(', ');
  return [
    {
      figure: 'Enqueue ceiling: raw workflow starts, bare Temporal client',
      value: `${Math.round(rawStart)} calls/s (median of ${rounds} rounds: ${rates((p) => p.start)})`,
      how: `${rawCount} client.workflow.start calls in all with the API's start options (api/services/enqueue-sync.ts syncStartOptions: same input, search attributes, memo, summary; default data converter) from ${CLIENTS} concurrent callers in the bench process, against the same dev server, on a queue no worker polls, in ${rounds} rounds alternating with the API's; ${shared}`,
    },
    {
      figure: 'Enqueue ceiling: raw signal-with-start, bare Temporal client',
      value: `${Math.round(rawSignalWithStart)} calls/s (rounds: ${rates((p) => p.signalWithStart)})`,
      how: `as above with client.workflow.signalWithStart (the document in the start input and in the documentSubmitted signal)`,
    },
    {
      figure: 'API enqueue, single POST /v1/syncs',
      value: `${Math.round(apiRate)} docs/s; ÷ raw starts of the same round: median ${median(startRatios).toFixed(2)} (${range(startRatios)}); ÷ raw signal-with-start: median ${median(swsRatios).toFixed(2)} (${range(swsRatios)}); goal ≥ 0.8`,
      how: `${singles} valid new documents in all from ${CLIENTS} concurrent keep-alive clients in the bench process, in ${rounds} rounds each right after that round's raw calls (rates ${rates((p) => p.api)}), ${refused} refused; worker stopped. CPU over the API rounds (% of one core): ${cpu}; ${shared}`,
    },
    {
      figure: 'API enqueue, POST /v1/syncs/batch',
      value: `${Math.round(batchRate)} docs/s = ${ratio(batchRate, rawStart)} of the median raw start rate`,
      how: `${batches} sequential batches of 500 new documents (${batchDocs} accepted) in ${batchSeconds.toFixed(1)} s (${(batchSeconds / batches).toFixed(1)} s per batch), after the rounds above; ${shared}`,
    },
  ];
}
