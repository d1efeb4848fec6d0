import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getMapping } from '../../db/queries/mappings';
import { setPolicy } from '../../db/queries/policies';
import type { ItemDoc } from '../../workflows/contract';
import { failureOf, startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

function item(overrides: Partial<ItemDoc> = {}): ItemDoc {
  const id = uid('item');
  return { sourceId: id, name: `Service call ${id}`, type: 'Service', unitPrice: 120, sku: id, ...overrides };
}

describe('ensureItem', () => {
  it('creates with the income account, remembers the mapping, then reads nothing', async () => {
    const realmId = await h.company();
    const doc = item();
    const first = await h.run('ensureItem', { realmId, syncId: 's1', item: doc });
    assert.equal(first.action, 'created');
    const mapping = await getMapping(h.db, realmId, 'income_account', 'default');
    assert.equal(mapping?.qboName, 'Sales of Product Income');
    const record = (await h.records(realmId, 'Item')).find((r) => r.Id === first.qboId);
    assert.equal(record.IncomeAccountRef.value, mapping?.qboId);
    const before = await h.counters(realmId);
    assert.deepEqual(await h.run('ensureItem', { realmId, syncId: 's1', item: doc }), {
      qboId: first.qboId,
      action: 'unchanged',
    });
    assert.equal((await h.counters(realmId)).total, before.total);
  });

  it('creates an inventory item with asset and COGS accounts, quantity tracking on', async () => {
    const realmId = await h.company();
    const result = await h.run('ensureItem', {
      realmId,
      syncId: 's1',
      item: item({ type: 'Inventory' }),
      firstInvoiceDate: '2026-01-15',
    });
    const record = (await h.records(realmId, 'Item')).find((r) => r.Id === result.qboId);
    assert.equal(record.TrackQtyOnHand, true);
    assert.equal(record.InvStartDate, '2026-01-15');
    assert.ok(record.AssetAccountRef?.value);
    assert.ok(record.ExpenseAccountRef?.value);
  });

  it('updates a changed price', async () => {
    const realmId = await h.company();
    const doc = item();
    const { qboId } = await h.run('ensureItem', { realmId, syncId: 's1', item: doc });
    assert.equal(
      (await h.run('ensureItem', { realmId, syncId: 's2', item: { ...doc, unitPrice: 150 } })).action,
      'updated',
    );
    assert.equal((await h.records(realmId, 'Item')).find((r) => r.Id === qboId).UnitPrice, 150);
  });

  it('links an existing item with the same name; asks when the policy says so', async () => {
    const realmId = await h.company();
    const doc = item();
    const accounts = await h.records(realmId, 'Account');
    const income = accounts.find((a) => a.AccountType === 'Income');
    const existing = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Item`, {
      Name: doc.name,
      Type: 'Service',
      IncomeAccountRef: { value: income.Id },
    });
    assert.deepEqual(await h.run('ensureItem', { realmId, syncId: 's1', item: doc }), {
      qboId: existing.Id,
      action: 'linked',
    });

    const other = item();
    await h.sim('POST', `/_sim/companies/${realmId}/records/Item`, {
      Name: other.name,
      Type: 'Service',
      IncomeAccountRef: { value: income.Id },
    });
    await setPolicy(h.db, realmId, { onNameCollision: 'ask' });
    const { failure, error } = await failureOf(() =>
      h.run('ensureItem', { realmId, syncId: 's1', item: other }),
    );
    assert.equal(failure.type, 'duplicate_name');
    assert.match(error.hint, /[Ll]ink the existing item .* or rename/);
  });

  it('no income account in QuickBooks → account_mapping, not retryable', async () => {
    const realmId = await h.company();
    for (const a of await h.records(realmId, 'Account')) {
      if (a.AccountType === 'Income')
        await h.sim('PATCH', `/_sim/companies/${realmId}/records/Account/${a.Id}`, { Active: false });
    }
    const doc = item();
    const { failure, error } = await failureOf(() =>
      h.run('ensureItem', { realmId, syncId: 's1', item: doc }),
    );
    assert.equal(failure.type, 'account_mapping');
    assert.equal(failure.nonRetryable, true);
    assert.equal(error.sourceId, doc.sourceId);
    assert.match(error.hint, /Map an income account/);
    assert.equal((await h.records(realmId, 'Item')).length, 0);
  });
});
