import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getLink } from '../../db/queries/links';
import type { ItemDoc } from '../../workflows/contract';
import { startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** A company with a synced customer and a 500.00 invoice. */
async function setUp() {
  const realmId = await h.company();
  const c = uid('cust');
  const customer = await h.run('ensureCustomer', {
    realmId,
    syncId: 's',
    customer: { sourceId: c, displayName: `Customer ${c}` },
  });
  const item: ItemDoc = {
    sourceId: uid('item'),
    name: `Consulting ${uid('n')}`,
    type: 'Service',
    unitPrice: 250,
  };
  const itemQboId = (await h.run('ensureItem', { realmId, syncId: 's', item })).qboId;
  const invoiceSourceId = uid('inv');
  const invoice = await h.run('ensureInvoice', {
    realmId,
    syncId: 's',
    invoice: { sourceId: invoiceSourceId, version: 1, txnDate: '2026-04-01' },
    lines: [{ item, quantity: 2, amount: 500 }],
    customerQboId: customer.qboId,
    itemQboIds: { [item.sourceId]: itemQboId },
  });
  const invoiceRecord = async () => (await h.records(realmId, 'Invoice')).find((r) => r.Id === invoice.qboId);
  return {
    realmId,
    customerQboId: customer.qboId,
    invoiceQboId: invoice.qboId,
    invoiceSourceId,
    invoiceRecord,
  };
}

describe('ensurePayment', () => {
  it('applies payments to the invoice with the balances right, then unchanged with no call', async () => {
    const s = await setUp();
    const base = {
      realmId: s.realmId,
      syncId: 's1',
      invoiceSourceId: s.invoiceSourceId,
      customerQboId: s.customerQboId,
      invoiceQboId: s.invoiceQboId,
    };
    const p1 = { sourceId: uid('pay'), txnDate: '2026-04-05', amount: 200, reference: 'CHK-1001' };
    const first = await h.run('ensurePayment', { ...base, payment: p1 });
    assert.equal(first.action, 'created');
    assert.equal((await s.invoiceRecord()).Balance, 300);
    const payment = (await h.records(s.realmId, 'Payment')).find((r) => r.Id === first.qboId);
    assert.equal(payment.PaymentRefNum, 'CHK-1001');
    assert.equal(payment.PrivateNote, `qbo-sync:${p1.sourceId}`);
    assert.equal(payment.Line[0].LinkedTxn[0].TxnId, s.invoiceQboId);
    const link = await getLink(h.db, { realmId: s.realmId, entityType: 'Payment', sourceId: p1.sourceId });
    assert.equal(link?.parentSourceId, s.invoiceSourceId);

    const before = await h.counters(s.realmId);
    assert.equal((await h.run('ensurePayment', { ...base, payment: p1 })).action, 'unchanged');
    assert.equal((await h.counters(s.realmId)).total, before.total);

    await h.run('ensurePayment', {
      ...base,
      payment: { sourceId: uid('pay'), txnDate: '2026-04-06', amount: 300 },
    });
    assert.equal((await s.invoiceRecord()).Balance, 0);
  });

  it('commit-then-lose (502) on the create leaves exactly one payment after the retry', async () => {
    const s = await setUp();
    await h.sim('POST', `/_sim/companies/${s.realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: '502',
      match: { entity: 'Payment', operation: 'create' },
    });
    const input = {
      realmId: s.realmId,
      syncId: 's1',
      invoiceSourceId: s.invoiceSourceId,
      customerQboId: s.customerQboId,
      invoiceQboId: s.invoiceQboId,
      payment: { sourceId: uid('pay'), txnDate: '2026-04-05', amount: 500 },
    };
    await assert.rejects(() => h.run('ensurePayment', input), { type: 'transient_server' });
    assert.equal((await h.run('ensurePayment', input)).action, 'created');
    assert.equal((await h.records(s.realmId, 'Payment')).length, 1);
    assert.equal((await s.invoiceRecord()).Balance, 0);
  });

  it('voidRemovedPayments voids (never deletes) the payments the source no longer has', async () => {
    const s = await setUp();
    const base = {
      realmId: s.realmId,
      syncId: 's1',
      invoiceSourceId: s.invoiceSourceId,
      customerQboId: s.customerQboId,
      invoiceQboId: s.invoiceQboId,
    };
    const keep = { sourceId: uid('pay'), txnDate: '2026-04-05', amount: 100 };
    const drop = { sourceId: uid('pay'), txnDate: '2026-04-06', amount: 150 };
    await h.run('ensurePayment', { ...base, payment: keep });
    const dropped = await h.run('ensurePayment', { ...base, payment: drop });
    assert.equal((await s.invoiceRecord()).Balance, 250);

    const result = await h.run('voidRemovedPayments', {
      realmId: s.realmId,
      syncId: 's1',
      invoiceSourceId: s.invoiceSourceId,
      keepSourceIds: [keep.sourceId],
    });
    assert.deepEqual(result, { voided: [drop.sourceId] });
    const payments = await h.records(s.realmId, 'Payment');
    assert.equal(payments.length, 2, 'nothing deleted');
    const voided = payments.find((p) => p.Id === dropped.qboId);
    assert.equal(voided.TotalAmt, 0);
    assert.notEqual(voided.status, 'Deleted');
    assert.equal((await s.invoiceRecord()).Balance, 400);
    // Running it again voids nothing more.
    assert.deepEqual(
      await h.run('voidRemovedPayments', {
        realmId: s.realmId,
        syncId: 's1',
        invoiceSourceId: s.invoiceSourceId,
        keepSourceIds: [keep.sourceId],
      }),
      { voided: [] },
    );
  });
});

describe('applyDecision', () => {
  it('link verifies the QuickBooks record and the next ensure converges onto it; manual leaves it alone', async () => {
    const realmId = await h.company();
    const existing = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: 'Jane Q. Public',
    });
    const doc = { sourceId: uid('cust'), displayName: 'Jane Public', email: 'jane@example.com' };
    const linked = await h.run('applyDecision', {
      realmId,
      entityType: 'Customer',
      decision: { kind: 'link', step: 'customer', sourceId: doc.sourceId, qboId: existing.Id },
    });
    assert.deepEqual(linked, { qboId: existing.Id, action: 'linked' });
    assert.deepEqual(await h.run('ensureCustomer', { realmId, syncId: 's', customer: doc }), {
      qboId: existing.Id,
      action: 'updated',
    });
    assert.equal((await h.records(realmId, 'Customer')).length, 1);

    await assert.rejects(
      () =>
        h.run('applyDecision', {
          realmId,
          entityType: 'Customer',
          decision: { kind: 'link', step: 'customer', sourceId: uid('c'), qboId: '999999' },
        }),
      (err: any) => err.type === 'inactive_or_missing_reference' || err.type === 'other',
    );

    const manual = { sourceId: uid('cust'), displayName: 'Entered By Hand' };
    assert.deepEqual(
      await h.run('applyDecision', {
        realmId,
        entityType: 'Customer',
        decision: { kind: 'manual', step: 'customer', sourceId: manual.sourceId },
      }),
      { qboId: '', action: 'manual' },
    );
    const before = await h.counters(realmId);
    assert.deepEqual(await h.run('ensureCustomer', { realmId, syncId: 's', customer: manual }), {
      qboId: '',
      action: 'manual',
    });
    assert.equal((await h.counters(realmId)).total, before.total);
  });
});
