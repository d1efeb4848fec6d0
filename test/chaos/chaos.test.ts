import { Client, Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/lib/free-port';
import { startTemporalDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server';
import { startSystem, type System } from '../support/system';
import { buildBacklog } from './backlog';
import { divergences } from './convergence';

/**
 * Exactly once under faults: a backlog synced while QuickBooks fails a share of requests (outages, and
 * writes that commit but whose answer is lost), the worker is SIGKILLed again and again, the Temporal
 * server and the API restart. Afterwards every invoice and payment is in QuickBooks once, every balance
 * matches the source, and every sync completed. Sizes come from CHAOS_SIZE, CHAOS_KILLS, CHAOS_FAULT_RATE.
 */
const size = Number(process.env.CHAOS_SIZE ?? 40);
const kills = Number(process.env.CHAOS_KILLS ?? 3);
const faultRate = Number(process.env.CHAOS_FAULT_RATE ?? 0.2);
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const eventGapMs = Number(process.env.CHAOS_EVENT_GAP_MS ?? 6_000);
// An upper bound, left as soon as every sync completed. A SIGKILLed worker's activities are retried
// elsewhere once their heartbeat times out (45 s, workflows/sync-invoice.ts); the slowest path is an
// activity spending its retries on the injected outages (10 attempts, back-off 2 s doubling to at most
// 2 minutes: about 8 minutes).
const settleMs = Number(process.env.CHAOS_SETTLE_MS ?? 9 * 60_000);

describe(`chaos: ${size} documents, ${kills} worker kills, ${Math.round(faultRate * 100)} % faults (seed ${seed})`, () => {
  let temporal: DevServer | undefined;
  let system: System | undefined;
  let client: Client | undefined;
  let connection: Connection | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'qbo-sync-chaos-'));
  const dbFile = path.join(dir, 'temporal.db');
  let port = 0;
  const logTail: string[] = [];
  let workerCrashes = 0;

  before(async () => {
    port = await freePort();
    temporal = await startTemporalDevServer({ dbFile, port, headless: true });
    system = await startSystem({
      temporalAddress: temporal.address,
      env: {
        QBO_REQUEST_TIMEOUT_MS: '2000',
        QBO_THROTTLE_BACKOFF_MS: '1000',
        QBO_THROTTLE_MAX_BACKOFF_MS: '2000',
      },
      onLog: (line, source) => {
        logTail.push(`[${source}] ${line}`);
        if (logTail.length > 200) logTail.shift();
        // A supervisor (systemd, Kubernetes) restarts a worker that exits on its own, e.g. after losing Temporal.
        if (source === 'worker' && line.includes('qbo-sync worker: failed')) {
          workerCrashes++;
          void system?.startWorker();
        }
      },
    });
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection });
  });

  after(async () => {
    await system?.stop();
    await connection?.close();
    await temporal?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'every invoice and payment exists exactly once, balances match, every sync completed',
    { timeout: settleMs + 10 * 60_000 },
    async () => {
      const sys = system!;
      const started = Date.now();
      const { realmId } = await sys.newCompany();
      const docs = buildBacklog({ realmId, size, seed, tag: randomBytes(3).toString('hex') });
      const addFault = async (body: object) => {
        const res = await sys.sim('POST', `/_sim/companies/${realmId}/faults`, body);
        assert.equal(res.status, 201, `simulator refused fault ${JSON.stringify(body)}: ${res.text}`);
      };
      // Four kinds share the rate; each is drawn on its own, so together they fail ≈ faultRate of requests
      // for as long as the faults last (`times`: a rule without it fires once). They apply to batch requests
      // too; on top, a batch request (the worker batches writes when a backlog waits, QBO_BATCH_WRITES)
      // loses its answer after committing at the same rate: every write in it must then be looked up,
      // never sent again blindly.
      const each = 1 - Math.pow(1 - faultRate, 1 / 4);
      await addFault({
        kind: 'commit-then-lose',
        lose: '502',
        probability: faultRate,
        times: 1_000_000,
        match: { operation: 'batch' },
      });
      const whileFaultsLast = { probability: each, times: 1_000_000 };
      await addFault({ kind: 'commit-then-lose', lose: 'timeout', ms: 3_000, ...whileFaultsLast });
      await addFault({ kind: 'commit-then-lose', lose: '502', ...whileFaultsLast });
      await addFault({ kind: 'status', status: 500, ...whileFaultsLast });
      await addFault({ kind: 'status', status: 503, ...whileFaultsLast });

      const syncIds: string[] = [];
      for (let i = 0; i < docs.length; i += 250) {
        const res = await sys.api('POST', '/v1/syncs/batch', { documents: docs.slice(i, i + 250) });
        assert.equal(res.status, 202, `batch refused: ${res.text.slice(0, 2000)}`);
        const rejected = res.body.results.filter((r: any) => r.outcome === 'rejected');
        assert.deepEqual(rejected, [], 'the backlog is valid: no document may be rejected');
        syncIds.push(...res.body.results.map((r: any) => r.syncId));
      }

      // The disruptions, spread over the backlog: the Temporal restart a third of the way, the API's at two thirds.
      const events: string[] = [];
      for (let k = 1; k <= kills; k++) {
        await sleep(eventGapMs);
        await sys.killWorker('SIGKILL');
        await sleep(500);
        await sys.startWorker();
        events.push(`kill ${k} at ${Math.round((Date.now() - started) / 1000)} s`);
        if (k === Math.ceil(kills / 3)) {
          await temporal!.stop();
          temporal = await startTemporalDevServer({ dbFile, port, headless: true });
          events.push(`temporal restarted at ${Math.round((Date.now() - started) / 1000)} s`);
        }
        if (k === Math.ceil((2 * kills) / 3)) {
          await sys.restartApi();
          events.push(`api restarted at ${Math.round((Date.now() - started) / 1000)} s`);
        }
      }
      const completedQuery = `WorkflowType = 'syncInvoice' AND RealmId = '${realmId}' AND ExecutionStatus = 'Completed'`;
      // Faults stay on until most of the backlog went through them (or a while passed), then QuickBooks heals.
      const faultsUntil = Date.now() + Number(process.env.CHAOS_FAULT_HOLD_MS ?? 120_000);
      while (Date.now() < faultsUntil) {
        const done = await client!.workflow.count(completedQuery).catch(() => ({ count: 0 }));
        if (done.count >= syncIds.length * 0.8) break;
        await sleep(2_000);
      }
      await sys.sim('DELETE', `/_sim/companies/${realmId}/faults`);
      events.push(`faults removed at ${Math.round((Date.now() - started) / 1000)} s`);

      const deadline = Date.now() + settleMs;
      let completed = 0;
      while (Date.now() < deadline) {
        completed = (await client!.workflow.count(completedQuery).catch(() => ({ count: completed }))).count;
        if (completed >= syncIds.length) break;
        await sleep(2_000);
      }
      const settledAfter = Math.round((Date.now() - started) / 1000);

      const stuck: string[] = [];
      for (const id of syncIds) {
        const res = await sys.api('GET', `/v1/syncs/${encodeURIComponent(id)}`);
        if (res.body?.state !== 'completed') {
          stuck.push(
            `${id}: ${res.status} state=${res.body?.state} step=${res.body?.currentStep} error=${JSON.stringify(res.body?.lastError ?? res.body?.error)?.slice(0, 300)}`,
          );
        }
      }
      const records = async (entity: string) =>
        (await sys.sim('GET', `/_sim/companies/${realmId}/records/${entity}`)).body.records;
      const snapshot = {
        customers: await records('Customer'),
        invoices: await records('Invoice'),
        payments: await records('Payment'),
      };
      const counters = (await sys.sim('GET', `/_sim/companies/${realmId}/counters`)).body;
      const problems = divergences(docs, snapshot);
      console.log(
        `chaos: seed ${seed}, ${docs.length} documents, ${docs.reduce((n, d) => n + d.payments.length, 0)} payments, ` +
          `${completed}/${syncIds.length} completed after ${settledAfter} s; events: ${events.join(', ')}; ` +
          `worker crashes restarted: ${workerCrashes}; QuickBooks requests ${counters.total} by status ${JSON.stringify(counters.byStatus)}, ` +
          `${counters.batches} batch requests`,
      );
      const report = [
        ...stuck.slice(0, 20).map((s) => `not completed: ${s}`),
        ...(stuck.length > 20 ? [`… and ${stuck.length - 20} more not completed`] : []),
        ...problems.slice(0, 40),
        ...(problems.length > 40 ? [`… and ${problems.length - 40} more divergences`] : []),
      ];
      assert.deepEqual(
        report,
        [],
        `QuickBooks or the syncs diverged from the source (seed ${seed}):\n${report.join('\n')}\nlast log lines:\n${logTail.slice(-30).join('\n')}`,
      );
      // The run proves something only if the faults really hit: timeouts (0), 500, 502 and 503 answers.
      const faulted = ['0', '500', '502', '503'].reduce((n, s) => n + (counters.byStatus[s] ?? 0), 0);
      const expected = Math.max(6, Math.floor(counters.total * faultRate * 0.25));
      if (faultRate > 0)
        assert.ok(faulted >= expected, `only ${faulted} of ${counters.total} requests were faulted`);
    },
  );
});
