import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { testServices } from '../support/env';
import { startSystem, type System } from '../support/system';
import { fuzzRequest, type FuzzContext, type FuzzRequest } from './requests';

/**
 * Generated bad requests against every route: each must get a 4xx with `{ error: { code, message } }`
 * naming the wrong field, start no sync and never reach QuickBooks. FUZZ_COUNT sets the number of
 * requests, FUZZ_SEED replays a run.
 */
const count = Number(process.env.FUZZ_COUNT ?? 1_500);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const concurrency = 8;

interface Finding {
  request: FuzzRequest;
  problem: string;
  status: number;
  response: string;
}

const show = (r: FuzzRequest) =>
  `${r.method} ${r.path.slice(0, 300)} key=${typeof r.key === 'string' ? r.key : 'junk'} content-type=${r.contentType ?? '(none)'} body=${(r.body ?? '').slice(0, 300)}${(r.body?.length ?? 0) > 300 ? `… (${r.body!.length} chars)` : ''}`;

/** What is wrong with an answer, or null. */
function judge(r: FuzzRequest, status: number, text: string): string | null {
  if (status >= 500) return `answered ${status}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
  if (status < 300 && r.mayAccept) {
    if (r.kind === 'batch of invalid documents') {
      if (body.accepted !== 0) return `a batch of invalid documents had ${body.accepted} accepted`;
      const unnamed = body.results.filter(
        (x: any) =>
          x.outcome !== 'rejected' ||
          !x.fields?.length ||
          x.fields.some((f: any) => !f.path.startsWith(`documents.${x.index}`) || !f.reason),
      );
      return unnamed.length
        ? `batch results without a rejection naming the field: ${JSON.stringify(unnamed).slice(0, 500)}`
        : null;
    }
    const filter = new URL(`http://api${r.path}`).searchParams.get('realmId');
    const leaked = (body.items ?? []).filter((i: any) => filter !== null && i.realmId !== filter);
    return leaked.length
      ? `a list filter returned ${leaked.length} syncs of another company (filter injection)`
      : null;
  }
  if (status < 400 || status >= 500) return `answered ${status}; a bad request must get a 4xx`;
  const error = body?.error;
  if (typeof error?.code !== 'string' || !error.code) return 'error.code missing';
  if (typeof error.message !== 'string' || error.message.trim().length < 5)
    return `error.message not useful: ${JSON.stringify(error.message)}`;
  if (r.field && status === 422) {
    const fields: { path: string; reason: string }[] = error.fields ?? [];
    if (!fields.length) return `422 without fields; expected one naming ${r.field}`;
    if (
      fields.some(
        (f) => typeof f.path !== 'string' || !f.path || typeof f.reason !== 'string' || !f.reason.trim(),
      )
    ) {
      return `a field error without path or reason: ${JSON.stringify(fields).slice(0, 300)}`;
    }
    const related = (p: string) =>
      p === r.field ||
      p.startsWith(`${r.field}.`) ||
      r.field!.startsWith(`${p}.`) ||
      (p === '(body)' && !r.field!.includes('.'));
    if (!fields.some((f) => related(f.path)))
      return `fields ${JSON.stringify(fields.map((f) => f.path))} do not name ${r.field}`;
  }
  return null;
}

describe(`api fuzz: ${count} generated bad requests (seed ${seed})`, () => {
  let system: System;
  let client: Client;
  let connection: Connection;
  const apiLog: string[] = [];

  before(async () => {
    system = await startSystem({ onLog: (line, source) => source === 'api' && apiLog.push(line) });
    connection = await Connection.connect({ address: testServices().temporalAddress });
    client = new Client({ connection });
  });
  after(async () => {
    await system?.stop();
    await connection?.close();
  });

  it(
    'answers every bad request with a 4xx naming the problem, starts nothing and never calls QuickBooks',
    { timeout: 60 * 60_000 },
    async () => {
      console.log(`api fuzz: seed ${seed} (replay with FUZZ_SEED=${seed}), ${count} requests`);
      const { realmId } = await system.newCompany();
      await system.sim('DELETE', `/_sim/companies/${realmId}/requests`);
      const ctx: FuzzContext = {
        realmId,
        valid: invoiceDocument(realmId, {
          payments: [{ sourceId: 'pay-fuzz-1', txnDate: '2026-11-03', amount: 45.5, reference: 'R1' }],
        }),
      };
      const requests = fc.sample(fuzzRequest(ctx), { seed, numRuns: count });
      const findings: Finding[] = [];
      const kinds = new Map<string, number>();
      const statuses = new Map<number, number>();
      const started = Date.now();
      let next = 0;
      const run = async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const r = requests[i];
          const headers: Record<string, string> = {};
          if (r.contentType) headers['content-type'] = r.contentType;
          if (r.key === 'source') headers.authorization = `Bearer ${system.sourceKey}`;
          else if (r.key === 'admin') headers.authorization = `Bearer ${system.adminKey}`;
          else if (r.key !== 'none') headers.authorization = `Bearer ${r.key.junk}`;
          const logMark = apiLog.length;
          let status = 0;
          let text: string;
          try {
            const res = await fetch(`${system.apiUrl}${r.path}`, {
              method: r.method,
              headers,
              body: r.body,
              redirect: 'manual',
            });
            status = res.status;
            text = await res.text();
          } catch (err) {
            text = `request failed: ${(err as Error).message}`;
          }
          const kind = r.kind.replace(/:[^ ]*$/, '');
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const problem = status === 0 ? text : judge(r, status, text);
          if (problem) {
            const log = apiLog
              .slice(logMark)
              .filter((l) => /error|Error|at /.test(l))
              .slice(0, 8)
              .join('\n');
            findings.push({
              request: r,
              problem,
              status,
              response: `${text.slice(0, 400)}${log ? `\napi log:\n${log}` : ''}`,
            });
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, run));
      const seconds = (Date.now() - started) / 1000;

      await new Promise((r) => setTimeout(r, 1_500)); // visibility is eventually consistent
      const started_ = (
        await client.workflow.count(`WorkflowType = 'syncInvoice' AND RealmId = '${realmId}'`)
      ).count;
      const listed = (await system.api('GET', `/v1/syncs?realmId=${realmId}`)).body.items?.length ?? -1;
      const counters = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body;
      const health = await system.api('GET', '/healthz', undefined, null);

      console.log(
        `api fuzz: ${requests.length} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `kinds ${JSON.stringify(Object.fromEntries([...kinds].sort()))}`,
      );
      const byProblem = new Map<string, Finding[]>();
      for (const f of findings) {
        const key = `${f.problem.slice(0, 80)} ← ${f.request.kind}`;
        byProblem.set(key, [...(byProblem.get(key) ?? []), f]);
      }
      const report = [...byProblem].map(
        ([key, list]) =>
          `${list.length}× ${key}\n    e.g. ${show(list[0].request)}\n    → ${list[0].status} ${list[0].response.replace(/\n/g, '\n      ')}`,
      );
      assert.deepEqual(report, [], `the API mishandled bad requests (seed ${seed}):\n${report.join('\n')}`);
      assert.equal(
        started_,
        0,
        `bad requests started ${started_} syncs for ${realmId} (Temporal visibility)`,
      );
      assert.equal(listed, 0, `GET /v1/syncs?realmId=${realmId} lists ${listed} syncs`);
      const calls = counters.total
        ? (await system.sim('GET', `/_sim/companies/${realmId}/requests?since=0`)).body.requests.map(
            (e: any) => `${e.method} ${e.path} → ${e.status}`,
          )
        : [];
      assert.equal(
        counters.total,
        0,
        `QuickBooks was called ${counters.total} times for the fuzzed company: ${calls.join('; ')}`,
      );
      assert.equal(health.status, 200, `/healthz after the fuzz: ${health.status} ${health.text}`);
    },
  );
});
