import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { payloadDataConverter } from '../lib/payload-codec';
import { changeTrackerId, trackerStatusQuery } from '../workflows/track-changes-contract';
import { invoiceDocument } from '../test/support/documents';
import { enqueue, waitForState } from '../test/support/syncs';
import { startSystem, type System } from '../test/support/system';
import { subscribeWebhooks } from '../test/support/webhooks';
import { sleep, type Figure } from './measure';

/** The sweep period of the measuring run: short, so a day's behaviour shows in minutes. */
const SWEEP_S = 4;
/** The production defaults the figures are scaled to (config.ts). */
const DEFAULT_SWEEP_S = 3600;
const DEFAULT_DAILY_CAP = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Change tracking: QuickBooks calls the CDC sweep costs a quiet company, and the time from a delete in
 * QuickBooks (made through the simulator's `/_sim`, as a person would) until `GET /v1/companies/{realm}/drift`
 * reports it, by webhook and, with webhooks off, by the sweep. Starts a system of its own.
 */
export async function measureChanges(samples = 5): Promise<Figure[]> {
  const verifier = `bench-${randomBytes(6).toString('hex')}`;
  const system = await startSystem({
    env: { QBO_WEBHOOK_VERIFIER_TOKEN: verifier, CHANGE_SWEEP_SECONDS: String(SWEEP_S) },
  });
  try {
    const quiet = await sweepCalls(system, 8);
    const byWebhook = await driftLatencies(system, samples, verifier);
    const bySweep = await driftLatencies(system, samples, null);
    const perDay = (quiet.calls / quiet.sweeps) * (86_400 / DEFAULT_SWEEP_S);
    return [
      {
        figure: 'QuickBooks calls per company per day, CDC sweep (quiet company)',
        value: `${perDay.toFixed(0)} (${((perDay / DEFAULT_DAILY_CAP) * 100).toFixed(1)} % of CHANGE_DAILY_CALL_CAP ${DEFAULT_DAILY_CAP})`,
        how: `every request the simulator logged for one synced, otherwise quiet company during ${quiet.sweeps} sweeps (counted by the tracker's lastSweepAt; ${SWEEP_S} s period) (${quiet.calls} calls, ${quiet.cdc} of them /cdc), scaled to the default CHANGE_SWEEP_SECONDS=${DEFAULT_SWEEP_S}: calls per sweep × 24; each webhook burst adds one CDC call`,
      },
      {
        figure: 'Change in QuickBooks → drift reported, by webhook',
        value: `median ${(median(byWebhook) / 1000).toFixed(2)} s, max ${(Math.max(...byWebhook) / 1000).toFixed(2)} s`,
        how: `${samples} invoices deleted one at a time through /_sim on a company with CloudEvents webhooks; time from the DELETE until GET /v1/companies/{realm}/drift lists it (polled every 100 ms); default CHANGE_SETTLE_MS=2000 included`,
      },
      {
        figure: 'Change in QuickBooks → drift reported, by the sweep (webhooks off)',
        value: `median ${(median(bySweep) / 1000).toFixed(2)} s, max ${(Math.max(...bySweep) / 1000).toFixed(2)} s with ${SWEEP_S} s sweeps (max = ${(Math.max(...bySweep) / 1000 / SWEEP_S).toFixed(2)} × the period)`,
        how: `as above without a webhook subscription; the delay is the wait for the next sweep plus its CDC call, so at the default ${DEFAULT_SWEEP_S} s period a change is reported within about an hour`,
      },
    ];
  } finally {
    await system.stop();
  }
}

/** A synced company on its own, and the id of its invoice in QuickBooks. */
async function syncedCompany(system: System) {
  const { realmId } = await system.newCompany();
  const done = await waitForState(system, await enqueue(system, invoiceDocument(realmId)), 'completed');
  return { realmId, invoiceId: done.steps.invoice.records[0].qboId as string };
}

/**
 * The requests the simulator logged for a quiet company during `sweeps` sweeps, counted by the tracker's
 * own lastSweepAt (queried): the log is cleared just after one sweep ends and read just after the last.
 */
async function sweepCalls(system: System, sweeps: number) {
  const { realmId } = await syncedCompany(system);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const tracker = new Client({
      connection,
      dataConverter: payloadDataConverter(loadConfig({}).payloadKeys),
    }).workflow.getHandle(changeTrackerId(realmId));
    let seen = (await tracker.query(trackerStatusQuery)).lastSweepAt;
    const nextSweep = async () => {
      const deadline = Date.now() + 10 * SWEEP_S * 1000;
      for (;;) {
        const at = (await tracker.query(trackerStatusQuery)).lastSweepAt;
        if (at !== seen) return void (seen = at);
        if (Date.now() > deadline) throw new Error(`no sweep for ${realmId} within ${10 * SWEEP_S} s`);
        await sleep(100);
      }
    };
    await nextSweep(); // past the sync's own writes
    await system.sim('DELETE', `/_sim/companies/${realmId}/requests`);
    for (let i = 0; i < sweeps; i++) await nextSweep();
    const { requests } = (await system.sim('GET', `/_sim/companies/${realmId}/requests`)).body as {
      requests: { path: string }[];
    };
    return { sweeps, calls: requests.length, cdc: requests.filter((r) => r.path.endsWith('/cdc')).length };
  } finally {
    await connection.close();
  }
}

/** Milliseconds from each delete in QuickBooks until the drift list shows it; webhooks when `verifier`. */
async function driftLatencies(system: System, samples: number, verifier: string | null) {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { realmId, invoiceId } = await syncedCompany(system);
    if (verifier) await subscribeWebhooks(system, realmId, verifier);
    const started = Date.now();
    await system.sim('DELETE', `/_sim/companies/${realmId}/records/Invoice/${invoiceId}`);
    for (;;) {
      const res = await system.api('GET', `/v1/companies/${realmId}/drift`, undefined, system.adminKey);
      if ((res.body.items as unknown[]).length > 0) break;
      if (Date.now() - started > 5 * 60_000) throw new Error(`no drift reported for ${realmId}`);
      await sleep(100);
    }
    latencies.push(Date.now() - started);
  }
  return latencies;
}
