import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { qboRecords, waitForState as waitForSync } from '../support/syncs';
import { invoiceDocument, unique } from '../support/documents';
import { startSystem, type System } from '../support/system';

describe('sync: the everyday paths, through the API to QuickBooks', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  const waitForState = (syncId: string, state: string) => waitForSync(system, syncId, state);
  const records = (realmId: string, entity: string) => qboRecords(system, realmId, entity);

  it('creates customer, items, invoice and payment once, and the same document twice is the same sync', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-05', amount: 100, reference: 'CHK-1' }],
    });

    const first = await system.api('POST', '/v1/syncs', doc);
    assert.equal(first.status, 202, first.text);
    assert.equal(first.body.outcome, 'started');
    assert.match(first.body.temporalUiUrl, /\/namespaces\/default\/workflows\//);

    const done = await waitForState(first.body.syncId, 'completed');
    assert.equal(done.steps.customer.records[0].action, 'created');
    assert.equal(done.steps.items.records.length, 2);
    assert.ok(done.steps.invoice.records[0].qboId);
    assert.equal(done.steps.payments.records[0].action, 'created');

    const [invoice] = await records(realmId, 'Invoice');
    assert.equal(invoice.DocNumber, doc.invoice.docNumber);
    assert.equal(invoice.TotalAmt, 345.5);
    assert.equal(invoice.Balance, 245.5, 'the payment is applied to the invoice');
    const [customer] = await records(realmId, 'Customer');
    assert.equal(customer.Balance, 245.5);

    const again = await system.api('POST', '/v1/syncs', doc);
    assert.equal(again.status, 202);
    assert.equal(again.body.syncId, first.body.syncId);
    assert.equal(again.body.outcome, 'unchanged');
    assert.equal((await records(realmId, 'Invoice')).length, 1);
    assert.equal((await records(realmId, 'Payment')).length, 1);
    assert.equal((await records(realmId, 'Customer')).length, 1);
  });

  it('an updated document updates QuickBooks in place, and a payment added later is applied', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const first = await system.api('POST', '/v1/syncs', doc);
    await waitForState(first.body.syncId, 'completed');

    const v2 = structuredClone(doc);
    v2.invoice.version = 2;
    v2.lines[0].quantity = 3;
    v2.lines[0].amount = 450;
    v2.payments = [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-10', amount: 495.5 }];
    const second = await system.api('POST', '/v1/syncs', v2);
    assert.equal(second.status, 202, second.text);
    assert.equal(second.body.syncId, first.body.syncId);
    const done = await waitForState(second.body.syncId, 'completed');
    assert.equal(done.documentVersion, 2);
    assert.equal(done.steps.invoice.records[0].action, 'updated');
    assert.equal(done.steps.customer.records[0].action, 'unchanged');

    const invoices = await records(realmId, 'Invoice');
    assert.equal(invoices.length, 1, 'updated, never duplicated');
    assert.equal(invoices[0].TotalAmt, 495.5);
    assert.equal(invoices[0].Balance, 0);
    assert.equal((await records(realmId, 'Payment')).length, 1);
  });

  it('two invoices of one new customer enqueued at the same moment make one customer', async () => {
    const { realmId } = await system.newCompany();
    const a = invoiceDocument(realmId);
    const b = invoiceDocument(realmId);
    b.customer = a.customer;
    const [ra, rb] = await Promise.all([
      system.api('POST', '/v1/syncs', a),
      system.api('POST', '/v1/syncs', b),
    ]);
    await Promise.all([waitForState(ra.body.syncId, 'completed'), waitForState(rb.body.syncId, 'completed')]);
    assert.equal((await records(realmId, 'Customer')).length, 1);
    assert.equal((await records(realmId, 'Invoice')).length, 2);
  });
});
