import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getLink } from '../../db/queries/links';
import { setPolicy } from '../../db/queries/policies';
import { claimAction, createAnywayKey } from '../../db/queries/reconciliation-actions';
import type { ItemDoc } from '../../workflows/contract';
import { failureOf, startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** A company with a synced customer and a 500.00 invoice, and the ensurePayment input for a 200.00 payment. */
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
  const input = {
    realmId,
    syncId: `sync:${realmId}:${invoiceSourceId}`,
    invoiceSourceId,
    customerQboId: customer.qboId,
    invoiceQboId: invoice.qboId,
    payment: { sourceId: uid('pay'), txnDate: '2026-04-05', amount: 200, reference: 'CHK-77' },
  };
  /** A payment another app enters straight into QuickBooks, applied to our invoice. */
  const foreign = (fields: Record<string, unknown> = {}) =>
    h.sim<any>('POST', `/_sim/companies/${realmId}/records/Payment`, {
      CustomerRef: { value: customer.qboId },
      TotalAmt: 200,
      TxnDate: '2026-04-05',
      PrivateNote: 'Recorded by Stripe',
      Line: [{ Amount: 200, LinkedTxn: [{ TxnId: invoice.qboId, TxnType: 'Invoice' }] }],
      ...fields,
    });
  const invoiceBalance = async () =>
    (await h.records(realmId, 'Invoice')).find((r) => r.Id === invoice.qboId).Balance;
  return { realmId, input, foreign, invoiceBalance };
}

describe('payments another integration already recorded', () => {
  it('under the default policy a foreign payment (same customer, amount, date) is linked, not duplicated', async () => {
    const s = await setUp();
    const theirs = await s.foreign({ TxnDate: '2026-04-04' });
    const result = await h.run('ensurePayment', s.input);
    assert.deepEqual(result, { qboId: theirs.Id, action: 'linked' });
    const payments = await h.records(s.realmId, 'Payment');
    assert.equal(payments.length, 1, 'no second payment');
    assert.equal(payments[0].PrivateNote, 'Recorded by Stripe', 'their record is left as they wrote it');
    assert.equal(await s.invoiceBalance(), 300);
    const link = await getLink(h.db, {
      realmId: s.realmId,
      entityType: 'Payment',
      sourceId: s.input.payment.sourceId,
    });
    assert.equal(link?.linkedBy, 'foreign');
    assert.equal(link?.qboId, theirs.Id);

    const before = await h.counters(s.realmId);
    assert.equal((await h.run('ensurePayment', s.input)).action, 'unchanged');
    assert.equal((await h.counters(s.realmId)).total, before.total, 'no QuickBooks call once linked');

    // The source drops the payment: qbo-sync does not void another app's record.
    const dropped = await h.run('voidRemovedPayments', {
      realmId: s.realmId,
      syncId: s.input.syncId,
      invoiceSourceId: s.input.invoiceSourceId,
      keepSourceIds: [],
    });
    assert.deepEqual(dropped, { voided: [] });
    assert.equal((await h.records(s.realmId, 'Payment'))[0].TotalAmt, 200);
  });

  it('a different reference, amount, a date outside the window, our own marker or another invoice is not linked', async () => {
    const s = await setUp();
    await s.foreign({ PaymentRefNum: 'CHK-99' });
    await s.foreign({ TotalAmt: 200.01 });
    await s.foreign({ TxnDate: '2026-04-09' });
    await s.foreign({ PrivateNote: 'qbo-sync:some-other-payment' });
    await s.foreign({ Line: [{ Amount: 200, LinkedTxn: [{ TxnId: '999999', TxnType: 'Invoice' }] }] });
    const result = await h.run('ensurePayment', s.input);
    assert.equal(result.action, 'created');
    assert.equal((await h.records(s.realmId, 'Payment')).length, 6);
  });

  it('one foreign payment is linked to one source payment only', async () => {
    const s = await setUp();
    const theirs = await s.foreign();
    assert.equal((await h.run('ensurePayment', s.input)).qboId, theirs.Id);
    const second = { ...s.input, payment: { ...s.input.payment, sourceId: uid('pay') } };
    const result = await h.run('ensurePayment', second);
    assert.equal(result.action, 'created');
    assert.notEqual(result.qboId, theirs.Id);
  });

  it('under ask the payment waits with a hint naming the record; link or create-anyway completes it', async () => {
    const s = await setUp();
    await setPolicy(h.db, s.realmId, { onForeignPayment: 'ask' });
    const theirs = await s.foreign();
    const { failure, error } = await failureOf(() => h.run('ensurePayment', s.input));
    assert.equal(failure.nonRetryable, true);
    assert.equal(error.step, 'payments');
    assert.equal(error.sourceId, s.input.payment.sourceId);
    assert.match(error.message, new RegExp(`QuickBooks payment ${theirs.Id} of 200.00 on 2026-04-05`));
    assert.match(error.hint, new RegExp(`link.*QuickBooks id ${theirs.Id}`));
    assert.match(error.hint, /create-anyway/);
    assert.equal((await h.records(s.realmId, 'Payment')).length, 1, 'nothing created while asking');

    // A person says "create anyway" for this one payment: the next attempt creates ours.
    await claimAction(h.db, {
      idempotencyKey: createAnywayKey(s.realmId, s.input.payment.sourceId),
      realmId: s.realmId,
      kind: 'create_payment_anyway',
      target: { paymentSourceId: s.input.payment.sourceId },
    });
    assert.equal((await h.run('ensurePayment', s.input)).action, 'created');
    assert.equal((await h.records(s.realmId, 'Payment')).length, 2);
  });

  it('under create the payment is created even when a foreign one matches', async () => {
    const s = await setUp();
    await setPolicy(h.db, s.realmId, { onForeignPayment: 'create' });
    await s.foreign();
    assert.equal((await h.run('ensurePayment', s.input)).action, 'created');
    assert.equal((await h.records(s.realmId, 'Payment')).length, 2);
  });
});
