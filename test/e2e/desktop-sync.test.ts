import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newDesktopCompany } from '../support/desktop';
import { invoiceDocument } from '../support/documents';
import { enqueue, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * QuickBooks Desktop end to end: the API and worker as production runs them, the real /qbwc endpoint, and
 * the simulator's Web Connector polling it over SOAP while its company file plays QuickBooks Desktop.
 */
describe('sync: QuickBooks Desktop through the Web Connector', () => {
  let system: System;
  before(async () => {
    system = await startSystem({
      env: {
        DESKTOP_REQUEST_WAIT_MS: '8000',
        DESKTOP_OFFLINE_AFTER_MS: '4000',
        DESKTOP_POLL_MS: '100',
        QBWC_FOLLOW_UP_MS: '1500',
        SYNC_PAUSE_CHECK_MS: '2000',
      },
    });
  });
  after(async () => {
    await system?.stop();
  });

  it('creates customer, items, invoice and payment once; the same document twice is the same sync', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    const doc = invoiceDocument(desktop.realmId, {
      payments: [
        { sourceId: `pay-${desktop.username}`, txnDate: '2026-11-05', amount: 100, reference: 'CHK-1' },
      ],
    });
    const syncId = await enqueue(system, doc);
    const done = await waitForState(system, syncId, 'completed', 90_000);
    assert.equal(done.steps.customer.records[0].action, 'created');
    assert.equal(done.steps.payments.records[0].action, 'created');

    const invoices = await desktop.records('invoices');
    assert.equal(invoices.length, 1);
    assert.equal(invoices[0].RefNumber, doc.invoice.docNumber);
    assert.match(String(invoices[0].Memo), new RegExp(`qbo-sync:${doc.invoice.sourceId}`));
    assert.equal(invoices[0].InvoiceLineRet.length, 2);
    assert.equal(Number(invoices[0].BalanceRemaining), 245.5, 'the payment is applied to the invoice');
    const customers = await desktop.records('customers');
    assert.deepEqual(
      customers.map((c: any) => c.Name),
      [doc.customer.displayName],
    );
    assert.equal((await desktop.records('payments')).length, 1);

    const again = await system.api('POST', '/v1/syncs', doc);
    assert.equal(again.body.syncId, syncId);
    assert.equal(again.body.outcome, 'unchanged');
    assert.equal((await desktop.records('invoices')).length, 1);
    assert.equal((await desktop.records('payments')).length, 1);
  });
});
