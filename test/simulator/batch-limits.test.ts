import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import { control, createCompany, seedCustomerAndItem, startSimulator, type TestCompany } from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const customers = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    bId: `b${i}`,
    operation: 'create',
    Customer: { DisplayName: `${prefix} ${i}` },
  }));

function assertThrottled(res: { status: number; body: any }) {
  assert.equal(res.status, 429);
  assert.equal(res.body.fault.error[0].code, '3001');
  assert.equal(res.body.fault.error[0].message, 'message=ThrottleExceeded; errorCode=003001; statusCode=429');
}

const advance = (seconds: number) => control(sim, 'POST', '/_sim/clock', { advanceSeconds: seconds });
const records = async (co: TestCompany, entity: string) =>
  (await control(sim, 'GET', `/_sim/companies/${co.realmId}/records/${entity}`)).records as any[];

describe('per-second limit', () => {
  it('answers the 11th request within a second with 429 ThrottleExceeded, not counted, then admits again', async () => {
    const co = await createCompany(sim, { ratePerSecond: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await co.api('GET', '/preferences')).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    assertThrottled(await co.api('GET', '/preferences'));
    await advance(1.1);
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    const counters = await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`);
    assert.equal(counters.throttled, 1);
    assert.equal(counters.operations, 11);
  });
});

describe('batch limits', () => {
  it('admits 40 batch requests a minute, throttles the 41st while single requests still pass', async () => {
    const co = await createCompany(sim, { ratePerSecond: 10 });
    const batch = { BatchItemRequest: [{ bId: 'q', Query: 'select * from Customer' }] };
    for (let i = 0; i < 40; i++) {
      // Ten a second is QuickBooks' other limit: step the clock so only the batch limit is in play.
      if (i % 10 === 0) await advance(1.1);
      assert.equal((await co.api('POST', '/batch', batch)).status, 200, `batch ${i + 1}`);
    }
    await advance(1.1);
    assertThrottled(await co.api('POST', '/batch', batch));
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    await advance(60);
    assert.equal((await co.api('POST', '/batch', batch)).status, 200);
  });

  it('counts a batch once against the per-minute limit, and each of its items as an operation', async () => {
    const co = await createCompany(sim, { ratePerMinute: 3 });
    const res = await co.api('POST', '/batch', { BatchItemRequest: customers('Counted', 25) });
    assert.equal(res.status, 200);
    assert.equal(res.body.BatchItemResponse.length, 25);
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    assertThrottled(await co.api('GET', '/preferences'));
    const counters = await control(sim, 'GET', `/_sim/companies/${co.realmId}/counters`);
    assert.equal(counters.batches, 1);
    assert.equal(counters.operations, 27);
    const log = (await control(sim, 'GET', `/_sim/companies/${co.realmId}/requests?since=0`)).requests;
    assert.equal(log[0].operation, 'batch');
    assert.equal(log[0].items, 25);
  });

  it('refuses a batch over the configured size with a 400 Fault and writes nothing', async () => {
    const small = await createCompany(sim, { maxBatchItems: 10 });
    assert.equal((await small.api('POST', '/batch', { BatchItemRequest: customers('Ten', 10) })).status, 200);
    const over = await small.api('POST', '/batch', { BatchItemRequest: customers('Eleven', 11) });
    assert.equal(over.status, 400);
    assert.match(over.body.Fault.Error[0].Detail, /maximum of 10 items/);
    assert.equal(
      (await records(small, 'Customer')).filter((c) => c.DisplayName.startsWith('Eleven')).length,
      0,
    );

    const byDefault = await createCompany(sim);
    assert.equal(
      (await byDefault.api('POST', '/batch', { BatchItemRequest: customers('Thirty', 30) })).status,
      200,
    );
    assert.equal(
      (await byDefault.api('POST', '/batch', { BatchItemRequest: customers('Thirty-one', 31) })).status,
      400,
    );
  });
});

describe('batch items', () => {
  it('never let two items break a rule together: the second create of one name is refused 6240', async () => {
    const co = await createCompany(sim);
    const res = await co.api('POST', '/batch', {
      BatchItemRequest: [
        { bId: 'a', operation: 'create', Customer: { DisplayName: 'Twice' } },
        { bId: 'b', operation: 'create', Customer: { DisplayName: 'Twice' } },
      ],
    });
    const byId = Object.fromEntries(res.body.BatchItemResponse.map((r: any) => [r.bId, r]));
    assert.equal(byId.a.Customer.DisplayName, 'Twice');
    assert.equal(byId.b.Fault.Error[0].code, '6240');
    assert.equal((await records(co, 'Customer')).filter((c) => c.DisplayName === 'Twice').length, 1);
  });

  it('an invoice cannot use a customer created earlier in the same batch', async () => {
    const co = await createCompany(sim);
    const { itemId } = await seedCustomerAndItem(co, 'Seen');
    const nextId = String(Number(itemId) + 1);
    const res = await co.api('POST', '/batch', {
      BatchItemRequest: [
        { bId: 'c', operation: 'create', Customer: { DisplayName: 'Fresh' } },
        {
          bId: 'i',
          operation: 'create',
          Invoice: {
            CustomerRef: { value: nextId },
            Line: [
              {
                DetailType: 'SalesItemLineDetail',
                Amount: 5,
                SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: 5 },
              },
            ],
          },
        },
      ],
    });
    const byId = Object.fromEntries(res.body.BatchItemResponse.map((r: any) => [r.bId, r]));
    assert.equal(byId.c.Customer.Id, nextId, 'the customer got the id the invoice names');
    assert.ok(byId.i.Fault, 'the invoice did not see it');
    assert.equal((await records(co, 'Invoice')).length, 0);
  });

  it('a batch can commit and lose its answer (502 or a dropped connection), like any write', async () => {
    const co = await createCompany(sim);
    await control(sim, 'POST', `/_sim/companies/${co.realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: '502',
      match: { operation: 'batch' },
    });
    const lost = await co.api('POST', '/batch', { BatchItemRequest: customers('Lost', 3) });
    assert.equal(lost.status, 502);
    assert.equal((await records(co, 'Customer')).filter((c) => c.DisplayName.startsWith('Lost')).length, 3);

    await control(sim, 'POST', `/_sim/companies/${co.realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: 'timeout',
      ms: 200,
      match: { operation: 'batch' },
    });
    await assert.rejects(co.api('POST', '/batch', { BatchItemRequest: customers('Dropped', 2) }));
    assert.equal(
      (await records(co, 'Customer')).filter((c) => c.DisplayName.startsWith('Dropped')).length,
      2,
    );

    await control(sim, 'POST', `/_sim/companies/${co.realmId}/faults`, {
      kind: 'status',
      status: 503,
      match: { operation: 'batch' },
    });
    assert.equal((await co.api('POST', '/batch', { BatchItemRequest: customers('Refused', 2) })).status, 503);
    assert.equal(
      (await records(co, 'Customer')).filter((c) => c.DisplayName.startsWith('Refused')).length,
      0,
    );
  });
});
