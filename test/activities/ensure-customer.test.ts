import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getLink } from '../../db/queries/links';
import { setPolicy } from '../../db/queries/policies';
import type { CustomerDoc } from '../../workflows/contract';
import { failureOf, startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

function customer(overrides: Partial<CustomerDoc> = {}): CustomerDoc {
  const id = uid('cust');
  return {
    sourceId: id,
    displayName: `Acme ${id}`,
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: `${id}@example.com`,
    billingAddress: {
      line1: '1 Main St',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    ...overrides,
  };
}

describe('ensureCustomer', () => {
  it('creates once, then reports unchanged without calling QuickBooks', async () => {
    const realmId = await h.company();
    const doc = customer();
    const first = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    assert.equal(first.action, 'created');
    const before = await h.counters(realmId);
    const second = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    assert.deepEqual(second, { qboId: first.qboId, action: 'unchanged' });
    assert.equal((await h.counters(realmId)).total, before.total, 'no QuickBooks request on the happy path');
    const records = await h.records(realmId, 'Customer');
    assert.equal(records.filter((r) => r.DisplayName === doc.displayName).length, 1);
    assert.equal(records.find((r) => r.Id === first.qboId).BillAddr.CountrySubDivisionCode, 'IL');
  });

  it('updates only when the source changed, with a sparse update', async () => {
    const realmId = await h.company();
    const doc = customer();
    const { qboId } = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    const changed = { ...doc, phone: '555-0100' };
    const result = await h.run('ensureCustomer', { realmId, syncId: 's2', customer: changed });
    assert.deepEqual(result, { qboId, action: 'updated' });
    const record = (await h.records(realmId, 'Customer')).find((r) => r.Id === qboId);
    assert.equal(record.PrimaryPhone.FreeFormNumber, '555-0100');
    assert.equal(record.SyncToken, '1');
    const link = await getLink(h.db, { realmId, entityType: 'Customer', sourceId: doc.sourceId });
    assert.equal(link?.syncToken, '1');
  });

  it('re-reads and re-applies once when the SyncToken is stale', async () => {
    const realmId = await h.company();
    const doc = customer();
    const { qboId } = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    await h.sim('PATCH', `/_sim/companies/${realmId}/records/Customer/${qboId}`, {
      Notes: 'edited in QuickBooks',
    });
    const result = await h.run('ensureCustomer', {
      realmId,
      syncId: 's2',
      customer: { ...doc, companyName: 'Acme Ltd' },
    });
    assert.equal(result.action, 'updated');
    const record = (await h.records(realmId, 'Customer')).find((r) => r.Id === qboId);
    assert.equal(record.CompanyName, 'Acme Ltd');
    assert.equal(record.Notes, 'edited in QuickBooks', 'a sparse update keeps fields we do not own');
  });

  it('links an existing customer that is the same party', async () => {
    const realmId = await h.company();
    const doc = customer();
    const existing = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: doc.displayName,
      PrimaryEmailAddr: { Address: doc.email!.toUpperCase() },
    });
    const result = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    assert.deepEqual(result, { qboId: existing.Id, action: 'linked' });
    assert.equal((await h.records(realmId, 'Customer')).length, 1);
    const again = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    assert.deepEqual(again, { qboId: existing.Id, action: 'unchanged' });
  });

  it('refuses to link a different party with the same name (duplicate_name, names the QuickBooks id)', async () => {
    const realmId = await h.company();
    const doc = customer();
    const existing = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: doc.displayName,
      PrimaryEmailAddr: { Address: 'someone-else@example.com' },
    });
    const { failure, error } = await failureOf(() =>
      h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc }),
    );
    assert.equal(failure.type, 'duplicate_name');
    assert.equal(failure.nonRetryable, true);
    assert.equal(error.sourceId, doc.sourceId);
    assert.match(error.detail, new RegExp(`customer ${existing.Id}\\b`));
    assert.match(error.hint, /link|rename/);
  });

  it('asks instead of linking when the company policy says so', async () => {
    const realmId = await h.company();
    await setPolicy(h.db, realmId, { onNameCollision: 'ask' });
    const doc = customer();
    await h.sim('POST', `/_sim/companies/${realmId}/records/Customer`, { DisplayName: doc.displayName });
    const { failure } = await failureOf(() =>
      h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc }),
    );
    assert.equal(failure.type, 'duplicate_name');
  });

  for (const lose of ['timeout', '502'] as const) {
    it(`a create committed but whose response was lost (${lose}) leaves exactly one customer after the retry`, async () => {
      const realmId = await h.company();
      const doc = customer();
      await h.sim('POST', `/_sim/companies/${realmId}/faults`, {
        kind: 'commit-then-lose',
        lose,
        ms: 3000,
        match: { entity: 'Customer', operation: 'create' },
      });
      const { failure } = await failureOf(() =>
        h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc }),
      );
      assert.equal(failure.type, 'transient_server');
      assert.equal(failure.nonRetryable, false);
      const pending = await getLink(h.db, { realmId, entityType: 'Customer', sourceId: doc.sourceId });
      assert.equal(pending?.status, 'pending');
      // Temporal retries the activity:
      const retry = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
      assert.equal(retry.action, 'created');
      const records = (await h.records(realmId, 'Customer')).filter((r) => r.DisplayName === doc.displayName);
      assert.equal(records.length, 1);
      assert.equal(records[0].Id, retry.qboId);
    });
  }

  it('an inactive customer: asks by default, reactivates when the policy allows', async () => {
    const realmId = await h.company();
    const doc = customer();
    const { qboId } = await h.run('ensureCustomer', { realmId, syncId: 's1', customer: doc });
    await h.sim('PATCH', `/_sim/companies/${realmId}/records/Customer/${qboId}`, { Active: false });
    const changed = { ...doc, phone: '555-0101' };
    const { failure, error } = await failureOf(() =>
      h.run('ensureCustomer', { realmId, syncId: 's2', customer: changed }),
    );
    assert.equal(failure.type, 'inactive_or_missing_reference');
    assert.match(error.hint, /[Rr]eactivate/);
    await setPolicy(h.db, realmId, { onInactiveReference: 'reactivate' });
    const changedAgain = { ...doc, phone: '555-0102' };
    const result = await h.run('ensureCustomer', { realmId, syncId: 's3', customer: changedAgain });
    assert.equal(result.action, 'updated');
    const record = (await h.records(realmId, 'Customer')).find((r) => r.Id === qboId);
    assert.equal(record.Active, true);
  });
});
