import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createQboClient, type QboClient } from '../../quickbooks/client';
import { QboFault } from '../../quickbooks/faults';
import type { RealmBudget } from '../../quickbooks/ports';
import { createSimulator } from '../../simulator/server';

let sim: { url: string; close(): Promise<void> };
before(async () => {
  sim = await createSimulator().start(0);
});
after(async () => {
  await sim?.close();
});

async function simCall(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/**
 * A budget like the shared one seen from one process: single requests are granted one at a time, every
 * `singleEveryMs` (a company whose per-request budget is the bottleneck); batch requests at once.
 */
function pacedBudget(singleEveryMs: number) {
  const asked: ('single' | 'batch')[] = [];
  let next = Promise.resolve();
  const budget: RealmBudget = {
    async acquire(_realmId, options) {
      asked.push(options?.batch ? 'batch' : 'single');
      if (!options?.batch) {
        const turn = next.then(() => sleep(singleEveryMs));
        next = turn;
        await turn;
      }
      return async () => {};
    },
    backOff: async () => {},
  };
  return { budget, asked };
}

async function setUp(
  budget: RealmBudget,
  maxItems = 30,
  maxWaitMs?: number,
  sendBy?: () => number,
): Promise<{ realmId: string; qbo: QboClient }> {
  const created = await simCall('POST', '/_sim/companies', { ratePerSecond: 10_000 });
  const qbo = createQboClient({
    baseUrl: sim.url,
    minorVersion: 75,
    timeoutMs: 1500,
    budget,
    tokens: { accessToken: async () => created.tokens.access_token, refreshAfterRejection: async () => '' },
    batching: { maxItems, maxSenders: 2, maxWaitMs },
    sendBy,
  });
  return { realmId: created.realmId, qbo };
}

const requests = async (realmId: string) =>
  (await simCall('GET', `/_sim/companies/${realmId}/requests?since=0`)).requests as any[];
const customers = async (realmId: string) =>
  (await simCall('GET', `/_sim/companies/${realmId}/records/Customer`)).records as any[];

async function settle<T>(p: Promise<T>): Promise<{ value?: T; fault?: QboFault }> {
  try {
    return { value: await p };
  } catch (err) {
    assert.ok(err instanceof QboFault, `expected QboFault, got ${String(err)}`);
    return { fault: err };
  }
}

describe('coalesced writes', () => {
  it('with no backlog, a write goes at once as its own request with its requestid', async () => {
    const { budget, asked } = pacedBudget(0);
    const { realmId, qbo } = await setUp(budget);
    const started = Date.now();
    const record = await qbo.create(realmId, 'Customer', { DisplayName: 'Alone' }, { requestId: 'alone-1' });
    assert.ok(Date.now() - started < 1000);
    assert.equal(record.DisplayName, 'Alone');
    assert.deepEqual(asked, ['single']);
    const log = await requests(realmId);
    assert.deepEqual(
      log.map((e) => [e.operation, e.requestid]),
      [['create', 'alone-1']],
    );
  });

  it('a backlog goes out in batch requests, each caller getting its own record, every record once', async () => {
    const { budget, asked } = pacedBudget(200);
    const { realmId, qbo } = await setUp(budget, 10);
    const names = Array.from({ length: 40 }, (_, i) => `Backlog ${i}`);
    const results = await Promise.all(
      names.map((name, i) => qbo.create(realmId, 'Customer', { DisplayName: name }, { requestId: `b-${i}` })),
    );
    assert.deepEqual(
      results.map((r) => r.DisplayName),
      names,
    );
    const stored = (await customers(realmId)).map((c) => c.DisplayName).sort();
    assert.deepEqual(stored, [...names].sort());
    const log = await requests(realmId);
    const batches = log.filter((e) => e.operation === 'batch');
    assert.ok(batches.length >= 3, `expected batch requests, log: ${JSON.stringify(log)}`);
    assert.ok(
      batches.every((b) => b.items <= 10),
      'no batch over the size',
    );
    assert.ok(log.length < 20, `40 writes in ${log.length} requests`);
    assert.equal(asked.filter((a) => a === 'batch').length, batches.length);
  });

  for (const limit of ['maxWaitMs', 'sendBy'] as const)
    it(`a write that waited past its ${limit} fails unsent and never reaches QuickBooks later`, async () => {
      // Singles every 300 ms, batches never granted: the queue outlives its 500 ms limit.
      const { budget } = pacedBudget(300);
      const stalled: RealmBudget = {
        ...budget,
        acquire: (realmId, options) =>
          options?.batch ? new Promise(() => {}) : budget.acquire(realmId, options),
      };
      const { realmId, qbo } =
        limit === 'maxWaitMs'
          ? await setUp(stalled, 10, 500)
          : await setUp(stalled, 10, undefined, () => Date.now() + 500);
      const names = Array.from({ length: 8 }, (_, i) => `Waiting ${i}`);
      const outcomes = await Promise.all(
        names.map((name, i) =>
          settle(qbo.create(realmId, 'Customer', { DisplayName: name }, { requestId: `w-${i}` })),
        ),
      );
      const expired = outcomes.filter((o) => o.fault);
      assert.ok(expired.length > 0, 'some writes waited past the limit');
      for (const { fault } of expired) {
        assert.equal(fault!.fault.pattern, 'throttled');
        assert.equal(fault!.uncertain, false, 'never sent, so certain');
      }
      await sleep(1_000);
      const stored = (await customers(realmId)).map((c) => c.DisplayName);
      assert.equal(stored.length, outcomes.length - expired.length, 'no expired write was sent afterwards');
    });

  it('updates coalesce too, and a refused item fails only its own caller, as certain', async () => {
    const { budget } = pacedBudget(200);
    const { realmId, qbo } = await setUp(budget);
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        qbo.create(realmId, 'Customer', { DisplayName: `Upd ${i}` }, { requestId: `u-${i}` }),
      ),
    );
    const outcomes = await Promise.all(
      made.map((c, i) =>
        settle(
          qbo.update(
            realmId,
            'Customer',
            // The third one takes the name of the fourth: QuickBooks refuses it (6240).
            { Id: c.Id, SyncToken: c.SyncToken, DisplayName: i === 2 ? 'Upd 3' : `Renamed ${i}` },
            { requestId: `r-${i}` },
          ),
        ),
      ),
    );
    assert.equal(outcomes[2].fault?.fault.pattern, 'duplicate_name');
    assert.equal(outcomes[2].fault?.uncertain, false);
    for (const i of [0, 1, 3, 4, 5]) assert.equal(outcomes[i].value?.DisplayName, `Renamed ${i}`);
    assert.ok((await requests(realmId)).some((e) => e.operation === 'batch'));
  });

  it('queries ride in batches too: each caller gets its own rows; a lost batch is not uncertain for them', async () => {
    const { budget } = pacedBudget(200);
    const { realmId, qbo } = await setUp(budget);
    const names = Array.from({ length: 6 }, (_, i) => `Query ${i}`);
    await Promise.all(
      names.map((name, i) => qbo.create(realmId, 'Customer', { DisplayName: name }, { requestId: `q-${i}` })),
    );
    const before = (await requests(realmId)).length;
    const rows = await Promise.all(
      names.map((name) => qbo.query(realmId, `SELECT * FROM Customer WHERE DisplayName = '${name}'`)),
    );
    assert.deepEqual(
      rows.map((r) => r.map((c) => c.DisplayName)),
      names.map((n) => [n]),
    );
    const sent = (await requests(realmId)).slice(before);
    assert.ok(
      sent.some((e) => e.operation === 'batch'),
      `queries were batched: ${JSON.stringify(sent)}`,
    );
    await simCall('POST', `/_sim/companies/${realmId}/faults`, {
      kind: 'status',
      status: 503,
      match: { operation: 'batch' },
      times: 100,
    });
    const failed = await Promise.all(
      names.map((name) => settle(qbo.query(realmId, `SELECT * FROM Customer WHERE DisplayName = '${name}'`))),
    );
    const inBatch = failed.filter((f) => f.fault);
    assert.ok(inBatch.length > 0);
    for (const f of inBatch) assert.equal(f.fault!.uncertain, false);
  });

  it('a batch whose answer is lost after it committed fails every caller as uncertain, never resent', async () => {
    const { budget } = pacedBudget(300);
    const { realmId, qbo } = await setUp(budget);
    await simCall('POST', `/_sim/companies/${realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: '502',
      match: { operation: 'batch' },
      times: 100,
    });
    const names = Array.from({ length: 8 }, (_, i) => `Lost ${i}`);
    const outcomes = await Promise.all(
      names.map((name, i) =>
        settle(qbo.create(realmId, 'Customer', { DisplayName: name }, { requestId: `l-${i}` })),
      ),
    );
    const batched = outcomes.filter((o) => o.fault);
    assert.ok(batched.length > 0, 'some writes went in a batch');
    for (const o of batched) {
      assert.equal(o.fault!.uncertain, true);
      assert.equal(o.fault!.fault.pattern, 'transient_server');
    }
    // Every write committed exactly once: the client sent nothing again.
    assert.deepEqual((await customers(realmId)).map((c) => c.DisplayName).sort(), [...names].sort());
  });
});
