import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createQboClient, escapeQueryValue } from '../../quickbooks/client';
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

async function company(body: Record<string, unknown> = {}) {
  const res = await fetch(`${sim.url}/_sim/companies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { realmId: string; tokens: { access_token: string } };
  return { realmId: json.realmId, token: json.tokens.access_token };
}

async function inject(realmId: string, rule: Record<string, unknown>) {
  await fetch(`${sim.url}/_sim/companies/${realmId}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
}

function client(token: () => string, refreshed: () => string, events: string[]) {
  const budget: RealmBudget = {
    acquire: async () => {
      events.push('acquire');
      return async (outcome) => void events.push(outcome?.throttled ? 'release:throttled' : 'release');
    },
    backOff: async (_realm, ms) => void events.push(`backOff:${ms}`),
  };
  return createQboClient({
    baseUrl: sim.url,
    minorVersion: 75,
    timeoutMs: 2000,
    budget,
    tokens: {
      accessToken: async () => token(),
      refreshAfterRejection: async (_realm, rejected) => {
        events.push(`refresh:${rejected}`);
        return refreshed();
      },
    },
  });
}

async function faultOf(p: Promise<unknown>): Promise<QboFault> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof QboFault, `expected QboFault, got ${String(err)}`);
    return err;
  }
  throw new Error('expected a fault');
}

describe('QuickBooks client', () => {
  it('refreshes once after a 401 and retries, releasing the budget slot', async () => {
    const c = await company();
    const events: string[] = [];
    const qbo = client(
      () => 'stale-token',
      () => c.token,
      events,
    );
    const rows = await qbo.query(c.realmId, "SELECT * FROM Account WHERE AccountType = 'Income'");
    assert.ok(rows.length > 0);
    assert.deepEqual(events, ['acquire', 'refresh:stale-token', 'release']);
  });

  it('a 401 after the refresh is auth_expired (no second refresh), and no token leaks', async () => {
    const c = await company();
    const events: string[] = [];
    const qbo = client(
      () => 'bad-1',
      () => 'bad-2',
      events,
    );
    const fault = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(fault.fault.pattern, 'auth_expired');
    assert.equal(fault.fault.pause, 'auth');
    assert.equal(events.filter((e) => e.startsWith('refresh')).length, 1);
    assert.doesNotMatch(JSON.stringify({ ...fault, message: fault.message, f: fault.fault }), /bad-[12]/);
  });

  it('a dead connection fails before it takes a slot of the budget, and says which generation failed', async () => {
    const c = await company();
    const events: string[] = [];
    const qbo = createQboClient({
      baseUrl: sim.url,
      minorVersion: 75,
      timeoutMs: 2000,
      budget: {
        acquire: async () => {
          events.push('acquire');
          return async () => void events.push('release');
        },
        backOff: async () => undefined,
      },
      tokens: {
        accessToken: async () => {
          throw new QboFault({
            pattern: 'auth_expired',
            code: 'needs_reauth',
            message: 'needs re-authorisation',
            detail: '',
            hint: '',
            status: 0,
            retryable: false,
            pause: 'auth',
            connectionVersion: 4,
          });
        },
        refreshAfterRejection: async () => 'never',
      },
    });
    const fault = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(fault.fault.pattern, 'auth_expired');
    assert.equal(fault.fault.connectionVersion, 4);
    assert.deepEqual(events, [], 'no budget slot taken for a request that cannot be sent');
  });

  it('a 401 that survives the refresh carries the generation of the refused token', async () => {
    const c = await company();
    const qbo = createQboClient({
      baseUrl: sim.url,
      minorVersion: 75,
      timeoutMs: 2000,
      budget: { acquire: async () => async () => undefined, backOff: async () => undefined },
      tokens: {
        accessToken: async () => 'bad-1',
        refreshAfterRejection: async () => 'bad-2',
        generation: () => 7,
      },
    });
    const fault = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(fault.fault.pause, 'auth');
    assert.equal(fault.fault.connectionVersion, 7);
  });

  it('throttled (429 JSON and XML-on-JSON 403) backs the realm off and is retryable', async () => {
    const c = await company();
    const events: string[] = [];
    const qbo = client(
      () => c.token,
      () => c.token,
      events,
    );
    await inject(c.realmId, { kind: 'throttle' });
    const f1 = await faultOf(qbo.read(c.realmId, 'Preferences', '1'));
    assert.equal(f1.fault.pattern, 'throttled');
    assert.equal(f1.fault.retryable, true);
    await inject(c.realmId, { kind: 'throttle-xml' });
    const f2 = await faultOf(qbo.preferences(c.realmId));
    assert.equal(f2.fault.pattern, 'throttled');
    assert.equal(events.filter((e) => e === 'release:throttled').length, 2, 'the budget heard of both throttles');
    assert.equal(events.filter((e) => e === 'acquire').length, events.filter((e) => e.startsWith('release')).length);
  });

  it('a Fault inside HTTP 200 (10000, 6190) is a failure', async () => {
    const c = await company();
    const qbo = client(
      () => c.token,
      () => c.token,
      [],
    );
    await inject(c.realmId, { kind: 'fault-in-200' });
    const system = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(system.fault.status, 200);
    assert.equal(system.fault.pattern, 'transient_server');
    await fetch(`${sim.url}/_sim/companies/${c.realmId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscriptionLapsed: '200' }),
    });
    const fault = await faultOf(
      qbo.create(c.realmId, 'Customer', { DisplayName: 'X' }, { requestId: 'r-200' }),
    );
    assert.equal(fault.fault.status, 200);
    assert.equal(fault.fault.pattern, 'company_status');
    assert.equal(fault.fault.retryable, false);
  });

  it('a 503 page on a write is transient and uncertain; on a read it is certain', async () => {
    const c = await company();
    const qbo = client(
      () => c.token,
      () => c.token,
      [],
    );
    await inject(c.realmId, { kind: 'status', status: 503, times: 2 });
    const write = await faultOf(
      qbo.create(c.realmId, 'Customer', { DisplayName: 'Y' }, { requestId: 'r-503' }),
    );
    assert.equal(write.fault.pattern, 'transient_server');
    assert.equal(write.uncertain, true);
    const read = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(read.uncertain, false);
  });

  it('a timeout never lets the axios error (and its bearer) escape', async () => {
    const c = await company();
    const qbo = client(
      () => c.token,
      () => c.token,
      [],
    );
    await inject(c.realmId, { kind: 'latency', ms: 3000, times: 1 });
    const fault = await faultOf(qbo.read(c.realmId, 'Customer', '1'));
    assert.equal(fault.fault.pattern, 'transient_server');
    assert.ok(!('config' in fault) && !('request' in fault));
    assert.doesNotMatch(JSON.stringify(fault.fault), new RegExp(c.token));
  });

  it('queries escape quotes and backslashes', async () => {
    assert.equal(escapeQueryValue("O'Brien \\ Co"), "O\\'Brien \\\\ Co");
    const c = await company();
    const qbo = client(
      () => c.token,
      () => c.token,
      [],
    );
    await qbo.create(c.realmId, 'Customer', { DisplayName: "O'Brien Plumbing" }, { requestId: 'r-q' });
    const rows = await qbo.query<{ DisplayName: string }>(
      c.realmId,
      `SELECT * FROM Customer WHERE DisplayName = '${escapeQueryValue("O'Brien Plumbing")}'`,
    );
    assert.deepEqual(
      rows.map((r) => r.DisplayName),
      ["O'Brien Plumbing"],
    );
  });
});
