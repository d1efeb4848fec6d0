import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getLink } from '../../db/queries/links';
import { failureOf, startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function syncedInvoice() {
  const realmId = await h.company();
  const customer = await h.run('ensureCustomer', {
    realmId,
    syncId: 's',
    customer: { sourceId: uid('cust'), displayName: `Customer ${uid('c')}` },
  });
  const item = {
    sourceId: uid('item'),
    name: `Labour ${uid('n')}`,
    type: 'Service' as const,
    unitPrice: 100,
  };
  const itemQboId = (await h.run('ensureItem', { realmId, syncId: 's', item })).qboId;
  const input = {
    realmId,
    syncId: 's',
    invoice: { sourceId: uid('inv'), version: 1, docNumber: uid('N').slice(0, 12), txnDate: '2026-03-01' },
    lines: [{ item, quantity: 1, amount: 100 }],
    customerQboId: customer.qboId,
    itemQboIds: { [item.sourceId]: itemQboId },
  };
  const created = await h.run('ensureInvoice', input);
  return { realmId, input, qboId: created.qboId };
}

describe('ensureInvoice meets an invoice changed in QuickBooks before anyone noticed', () => {
  it('a newer version that changes nothing on the invoice reads it once and stops at a delete', async () => {
    const { realmId, input, qboId } = await syncedInvoice();
    await h.sim('DELETE', `/_sim/companies/${realmId}/records/Invoice/${qboId}`);
    const next = { ...input, invoice: { ...input.invoice, version: 2 } };
    const { error } = await failureOf(() => h.run('ensureInvoice', next));
    assert.equal(error.pattern, 'changed_in_quickbooks');
    assert.match(error.message, /deleted in QuickBooks/);
    const link = await getLink(h.db, { realmId, entityType: 'Invoice', sourceId: input.invoice.sourceId });
    assert.equal((link?.drift as { kind: string }).kind, 'deleted');
  });

  it('stops at a void too; an unchanged version that is still there is read once, then not again', async () => {
    const { realmId, input, qboId } = await syncedInvoice();
    const v2 = { ...input, invoice: { ...input.invoice, version: 2 } };
    const reads = async () => (await h.counters(realmId)).reads;
    const before = await reads();
    assert.equal((await h.run('ensureInvoice', v2)).action, 'unchanged');
    assert.equal((await reads()) - before, 1, 'one read for the new version');
    assert.equal((await h.run('ensureInvoice', v2)).action, 'unchanged');
    assert.equal((await reads()) - before, 1, 'no read for the same version again');

    await h.sim('POST', `/_sim/companies/${realmId}/records/Invoice/${qboId}/void`);
    const v3 = { ...input, invoice: { ...input.invoice, version: 3 } };
    const { error } = await failureOf(() => h.run('ensureInvoice', v3));
    assert.equal(error.pattern, 'changed_in_quickbooks');
    assert.match(error.message, /voided/);
  });
});
