import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setPolicy } from '../../db/queries/policies';
import type { InvoiceDoc, ItemDoc, LineDoc } from '../../workflows/contract';
import { failureOf, startHarness, uid, type Harness } from './harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** A company with one synced customer and two synced items. */
async function setUp(companyOptions: Record<string, unknown> = {}) {
  const realmId = await h.company(companyOptions);
  const c = uid('cust');
  const customer = await h.run('ensureCustomer', {
    realmId,
    syncId: 's',
    customer: { sourceId: c, displayName: `Customer ${c}` },
  });
  const items: ItemDoc[] = [
    { sourceId: uid('item'), name: `Labour ${uid('n')}`, type: 'Service', unitPrice: 100 },
    { sourceId: uid('item'), name: `Parts ${uid('n')}`, type: 'NonInventory', unitPrice: 12.5 },
  ];
  const itemQboIds: Record<string, string> = {};
  for (const item of items)
    itemQboIds[item.sourceId] = (await h.run('ensureItem', { realmId, syncId: 's', item })).qboId;
  const lines: LineDoc[] = [
    { item: items[0], quantity: 2, amount: 200, description: 'Two hours', taxCategory: 'taxable' },
    { item: items[1], quantity: 3, amount: 37.5, taxCategory: 'exempt' },
  ];
  const invoice: InvoiceDoc = {
    sourceId: uid('inv'),
    version: 1,
    docNumber: uid('N').slice(0, 12),
    txnDate: '2026-03-01',
    dueDate: '2026-03-31',
    memo: 'Thanks!',
  };
  return { realmId, customerQboId: customer.qboId, itemQboIds, items, lines, invoice };
}

describe('ensureInvoice', () => {
  it('creates with lines, tax codes, marker and memo; then unchanged with no QuickBooks call', async () => {
    const s = await setUp();
    const input = {
      realmId: s.realmId,
      syncId: 's1',
      invoice: s.invoice,
      lines: s.lines,
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    };
    const first = await h.run('ensureInvoice', input);
    assert.equal(first.action, 'created');
    const record = (await h.records(s.realmId, 'Invoice')).find((r) => r.Id === first.qboId);
    assert.equal(record.DocNumber, s.invoice.docNumber);
    assert.equal(record.PrivateNote, `qbo-sync:${s.invoice.sourceId}`);
    assert.equal(record.CustomerMemo.value, 'Thanks!');
    assert.equal(record.TotalAmt >= 237.5, true);
    const taxCodes = record.Line.filter((l: any) => l.SalesItemLineDetail).map(
      (l: any) => l.SalesItemLineDetail.TaxCodeRef?.value,
    );
    assert.deepEqual(taxCodes, ['TAX', 'NON']);
    const before = await h.counters(s.realmId);
    assert.deepEqual(await h.run('ensureInvoice', input), { qboId: first.qboId, action: 'unchanged' });
    assert.equal((await h.counters(s.realmId)).total, before.total);
  });

  it('a newer version replaces all lines; an older version changes nothing', async () => {
    const s = await setUp();
    const base = {
      realmId: s.realmId,
      syncId: 's1',
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    };
    const { qboId } = await h.run('ensureInvoice', { ...base, invoice: s.invoice, lines: s.lines });
    const v2Lines = [{ ...s.lines[0], quantity: 3, amount: 300 }];
    const v2 = await h.run('ensureInvoice', {
      ...base,
      invoice: { ...s.invoice, version: 2 },
      lines: v2Lines,
    });
    assert.deepEqual(v2, { qboId, action: 'updated' });
    const record = (await h.records(s.realmId, 'Invoice')).find((r) => r.Id === qboId);
    assert.deepEqual(
      record.Line.filter((l: any) => l.SalesItemLineDetail).map((l: any) => l.Amount),
      [300],
    );
    const stale = await h.run('ensureInvoice', {
      ...base,
      invoice: { ...s.invoice, version: 1 },
      lines: s.lines,
    });
    assert.equal(stale.action, 'unchanged');
  });

  it("a DocNumber used by someone else's invoice → duplicate_doc_number naming the TxnId", async () => {
    const s = await setUp();
    const theirs = await h.sim<any>('POST', `/_sim/companies/${s.realmId}/records/Invoice`, {
      DocNumber: s.invoice.docNumber,
      CustomerRef: { value: s.customerQboId },
      TxnDate: '2026-02-01',
      TotalAmt: 10,
      Line: [],
    });
    const { failure, error } = await failureOf(() =>
      h.run('ensureInvoice', {
        realmId: s.realmId,
        syncId: 's1',
        invoice: s.invoice,
        lines: s.lines,
        customerQboId: s.customerQboId,
        itemQboIds: s.itemQboIds,
      }),
    );
    assert.equal(failure.type, 'duplicate_doc_number');
    assert.equal(failure.nonRetryable, true);
    assert.match(error.detail, new RegExp(`TxnId=${theirs.Id}\\b`));
    assert.equal(error.sourceId, s.invoice.sourceId);
  });

  it('a DocNumber used by our own earlier invoice (marker in PrivateNote) is linked, not duplicated', async () => {
    const s = await setUp();
    const ours = await h.sim<any>('POST', `/_sim/companies/${s.realmId}/records/Invoice`, {
      DocNumber: s.invoice.docNumber,
      CustomerRef: { value: s.customerQboId },
      TxnDate: s.invoice.txnDate,
      PrivateNote: `qbo-sync:${s.invoice.sourceId}`,
      TotalAmt: 1,
      Line: [],
    });
    const result = await h.run('ensureInvoice', {
      realmId: s.realmId,
      syncId: 's1',
      invoice: s.invoice,
      lines: s.lines,
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    });
    assert.deepEqual(result, { qboId: ours.Id, action: 'linked' });
    const invoices = await h.records(s.realmId, 'Invoice');
    assert.equal(invoices.length, 1);
    assert.equal(
      invoices[0].Line.filter((l: any) => l.SalesItemLineDetail).length,
      2,
      'converged onto our lines',
    );
  });

  it('an inactive customer: inactive_or_missing_reference by default, reactivated when the policy allows', async () => {
    const s = await setUp();
    await h.sim('PATCH', `/_sim/companies/${s.realmId}/records/Customer/${s.customerQboId}`, {
      Active: false,
    });
    const input = {
      realmId: s.realmId,
      syncId: 's1',
      invoice: s.invoice,
      lines: s.lines,
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    };
    const { failure, error } = await failureOf(() => h.run('ensureInvoice', input));
    assert.equal(failure.type, 'inactive_or_missing_reference');
    assert.match(error.message + error.detail, new RegExp(`customer .*${s.customerQboId}`));
    assert.match(error.hint, /reactivate/);
    await setPolicy(h.db, s.realmId, { onInactiveReference: 'reactivate' });
    const result = await h.run('ensureInvoice', input);
    assert.equal(result.action, 'created');
    assert.equal((await h.records(s.realmId, 'Customer')).find((r) => r.Id === s.customerQboId).Active, true);
    assert.equal((await h.records(s.realmId, 'Invoice')).length, 1);
  });

  it('commit-then-lose (timeout) on the create leaves exactly one invoice after the retry', async () => {
    const s = await setUp();
    await h.sim('POST', `/_sim/companies/${s.realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: 'timeout',
      ms: 3000,
      match: { entity: 'Invoice', operation: 'create' },
    });
    const input = {
      realmId: s.realmId,
      syncId: 's1',
      invoice: s.invoice,
      lines: s.lines,
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    };
    const { failure } = await failureOf(() => h.run('ensureInvoice', input));
    assert.equal(failure.type, 'transient_server');
    const retry = await h.run('ensureInvoice', input);
    assert.equal(retry.action, 'created');
    const invoices = await h.records(s.realmId, 'Invoice');
    assert.equal(invoices.length, 1);
    assert.equal(invoices[0].Id, retry.qboId);
  });

  it('commit-then-lose (502) without a DocNumber: found by customer, date and marker', async () => {
    const s = await setUp();
    await setPolicy(h.db, s.realmId, { docNumbers: 'quickbooks' });
    await h.sim('POST', `/_sim/companies/${s.realmId}/faults`, {
      kind: 'commit-then-lose',
      lose: '502',
      match: { entity: 'Invoice', operation: 'create' },
    });
    const input = {
      realmId: s.realmId,
      syncId: 's1',
      invoice: s.invoice,
      lines: s.lines,
      customerQboId: s.customerQboId,
      itemQboIds: s.itemQboIds,
    };
    await failureOf(() => h.run('ensureInvoice', input));
    const retry = await h.run('ensureInvoice', input);
    assert.equal(retry.action, 'created');
    assert.equal((await h.records(s.realmId, 'Invoice')).length, 1);
  });

  it('closed books → closed_period, not retryable, hint names the closing date', async () => {
    const s = await setUp({ bookCloseDate: '2026-03-31' });
    const { failure, error } = await failureOf(() =>
      h.run('ensureInvoice', {
        realmId: s.realmId,
        syncId: 's1',
        invoice: s.invoice,
        lines: s.lines,
        customerQboId: s.customerQboId,
        itemQboIds: s.itemQboIds,
      }),
    );
    assert.equal(failure.type, 'closed_period');
    assert.equal(failure.nonRetryable, true);
    assert.match(error.hint, /closed through 2026-03-31/);
  });
});
