import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setPolicy } from '../../db/queries/policies';
import { getReconciliation } from '../../db/queries/reconciliations';
import { putSourceBalances } from '../../db/queries/source-balances';
import { recordSourceDocument } from '../../db/queries/source-documents';
import type { Mismatch } from '../../sync/reconciliation';
import { failureOf, startHarness, type Harness } from '../activities/harness';
import { document, syncDocument } from './scenarios';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Runs the reconcile activity and returns the stored result. */
async function reconcile(realmId: string) {
  const summary = await h.run('reconcile', { realmId });
  const row = await getReconciliation(h.db, realmId, summary.reconciliationId);
  const stored = row!.mismatches as { customers: any[]; list: Mismatch[] };
  return { summary, totals: row!.totals as any, mismatches: stored.list, customers: stored.customers };
}

describe('reconciliation explains each mismatch by the scenario that causes it', () => {
  it('a company in agreement has no mismatch and equal balances', async () => {
    const realmId = await h.company();
    await syncDocument(h, document(realmId, [{ txnDate: '2026-04-05', amount: 200 }]));
    const r = await reconcile(realmId);
    assert.deepEqual(r.mismatches, []);
    assert.equal(r.totals.quickbooksCents, 30000);
    assert.equal(r.totals.sourceCents, 30000);
    assert.equal(r.totals.differenceCents, 0);
  });

  it('a declared balance the documents do not add up to is named, and changes nothing in QuickBooks', async () => {
    const realmId = await h.company();
    const doc = document(realmId, [{ txnDate: '2026-04-05', amount: 200 }]);
    await syncDocument(h, doc);
    await putSourceBalances(h.db, realmId, [
      { customerSourceId: doc.customer.sourceId, balance: 420, asOf: '2026-04-30' },
    ]);
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'unexplained');
    assert.equal(m.reason, 'declared_differs');
    assert.equal(m.amountCents, 12000);
    assert.match(m.explanation, /declares .* owes 420.00, but the documents .* add up to 300.00/);
    assert.equal(r.totals.differenceCents, 0, 'QuickBooks agrees with the documents');
  });

  it('a payment entered directly in QuickBooks is "entered in QuickBooks", naming it', async () => {
    const realmId = await h.company();
    const s = await syncDocument(h, document(realmId));
    const direct = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Payment`, {
      CustomerRef: { value: s.customerQboId },
      TotalAmt: 120,
      TxnDate: '2026-04-07',
      PaymentRefNum: 'CASH-9',
      Line: [{ Amount: 120, LinkedTxn: [{ TxnId: s.invoiceQboId, TxnType: 'Invoice' }] }],
    });
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'entered_in_quickbooks');
    assert.equal(m.qboId, direct.Id);
    assert.equal(m.amountCents, 12000);
    assert.equal(m.impactCents, -12000);
    assert.match(m.explanation, /entered in QuickBooks directly/);
    assert.equal(r.totals.differenceCents, -12000);
    assert.equal(r.totals.unexplainedCents, 0, 'the whole difference is explained');
  });

  it('a duplicate invoice created outside the ledger is a duplicate; voiding it from the result leaves balances equal', async () => {
    const realmId = await h.company();
    const s = await syncDocument(h, document(realmId, [{ txnDate: '2026-04-05', amount: 100 }]));
    const original = (await h.records(realmId, 'Invoice')).find((r) => r.Id === s.invoiceQboId);
    const { Id: _id, SyncToken: _t, MetaData: _m, LinkedTxn: _l, Balance: _b, ...copy } = original;
    const twin = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Invoice`, copy);
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'duplicate');
    assert.equal(m.reason, 'two_records');
    assert.equal(m.qboId, twin.Id);
    assert.equal(m.otherQboId, s.invoiceQboId);
    assert.equal(m.impactCents, 50000);
    assert.match(m.fix, /Void the duplicate/);
    assert.equal(r.totals.differenceCents, 50000);
    const action = m.actions.find((a) => a.kind === 'void_duplicate')!;

    const key = `void:${realmId}:Invoice:${twin.Id}`;
    const input = {
      realmId,
      idempotencyKey: key,
      entity: action.target.entity!,
      qboId: action.target.qboId!,
    };
    assert.deepEqual(await h.run('voidDuplicateRecord', input), { status: 'done', voided: twin.Id });
    const before = await h.counters(realmId);
    assert.deepEqual(await h.run('voidDuplicateRecord', input), { status: 'done', voided: twin.Id });
    assert.equal((await h.counters(realmId)).total, before.total, 'the second request does nothing');
    const invoices = await h.records(realmId, 'Invoice');
    assert.equal(invoices.length, 2, 'voided, never deleted');
    assert.equal(invoices.find((i) => i.Id === twin.Id).TotalAmt, 0);

    const after = await reconcile(realmId);
    assert.deepEqual(after.mismatches, []);
    assert.equal(after.totals.quickbooksCents, 40000);
    assert.equal(after.totals.differenceCents, 0);
  });

  it('an invoice amount edited in QuickBooks is "amount edited"', async () => {
    const realmId = await h.company();
    const s = await syncDocument(h, document(realmId));
    const invoice = (await h.records(realmId, 'Invoice')).find((r) => r.Id === s.invoiceQboId);
    const Line = invoice.Line.map((l: any) =>
      l.DetailType === 'SalesItemLineDetail' ? { ...l, Amount: 450 } : l,
    );
    await h.sim('PATCH', `/_sim/companies/${realmId}/records/Invoice/${s.invoiceQboId}`, {
      Line,
      TotalAmt: 450,
    });
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'amount_edited');
    assert.equal(m.qboId, s.invoiceQboId);
    assert.equal(m.amountCents, 45000);
    assert.equal(m.impactCents, -5000);
    assert.deepEqual(
      m.actions.map((a) => a.kind),
      ['resync'],
    );
    assert.equal(r.totals.differenceCents, -5000);
  });

  it('a sync stuck in needs_attention is "not synced", naming its sync id', async () => {
    const realmId = await h.company();
    await setPolicy(h.db, realmId, { onNameCollision: 'ask' });
    const doc = document(realmId, [{ txnDate: '2026-04-05', amount: 200 }]);
    await h.sim('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: doc.customer.displayName,
    });
    await recordSourceDocument(h.db, doc);
    const { error } = await failureOf(() =>
      h.run('ensureCustomer', { realmId, syncId: 's', customer: doc.customer }),
    );
    assert.equal(error.pattern, 'duplicate_name');
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'not_synced');
    assert.equal(m.sourceId, doc.invoice.sourceId);
    assert.equal(m.syncId, `sync:${realmId}:${doc.invoice.sourceId}`);
    assert.equal(m.amountCents, 50000);
    assert.match(m.explanation, /never synced/);
  });

  it('a linked payment deleted in QuickBooks is "missing in QuickBooks"', async () => {
    const realmId = await h.company();
    const s = await syncDocument(h, document(realmId, [{ txnDate: '2026-04-05', amount: 200 }]));
    await h.sim('DELETE', `/_sim/companies/${realmId}/records/Payment/${s.payments[0]}`);
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    assert.equal(r.mismatches[0].kind, 'missing_in_quickbooks');
    assert.equal(r.mismatches[0].qboId, s.payments[0]);
    assert.equal(r.mismatches[0].impactCents, 20000);
    assert.equal(r.totals.differenceCents, 20000);
  });

  it('a payment whose void was lost is a duplicate (void_lost); voiding it from the result leaves balances equal', async () => {
    const realmId = await h.company();
    const doc = document(realmId, [
      { txnDate: '2026-04-05', amount: 100 },
      { txnDate: '2026-04-06', amount: 150 },
    ]);
    const s = await syncDocument(h, doc);
    const v2 = { ...doc, invoice: { ...doc.invoice, version: 2 }, payments: [doc.payments[0]] };
    await recordSourceDocument(h.db, v2);
    await h.sim('POST', `/_sim/companies/${realmId}/faults`, {
      kind: 'status',
      status: 500,
      times: 5,
      match: { entity: 'Payment', operation: 'void' },
    });
    await assert.rejects(() =>
      h.run('voidRemovedPayments', {
        realmId,
        syncId: s.syncId,
        invoiceSourceId: doc.invoice.sourceId,
        keepSourceIds: [doc.payments[0].sourceId],
      }),
    );
    await h.sim('DELETE', `/_sim/companies/${realmId}/faults`);
    const r = await reconcile(realmId);
    assert.equal(r.mismatches.length, 1, JSON.stringify(r.mismatches));
    const [m] = r.mismatches;
    assert.equal(m.kind, 'duplicate');
    assert.equal(m.reason, 'void_lost');
    assert.equal(m.qboId, s.payments[1]);
    assert.equal(m.sourceId, doc.payments[1].sourceId);
    assert.equal(r.totals.differenceCents, -15000);

    const outcome = await h.run('voidDuplicateRecord', {
      realmId,
      idempotencyKey: `void:${realmId}:Payment:${m.qboId}`,
      entity: 'Payment',
      qboId: m.qboId!,
    });
    assert.equal(outcome.status, 'done');
    const after = await reconcile(realmId);
    assert.deepEqual(after.mismatches, []);
    assert.equal(after.totals.differenceCents, 0);
    assert.equal(after.totals.quickbooksCents, 40000);
  });

  it('refuses to void a record qbo-sync did not create, or one a source record still has', async () => {
    const realmId = await h.company();
    const s = await syncDocument(h, document(realmId, [{ txnDate: '2026-04-05', amount: 100 }]));
    const theirs = await h.sim<any>('POST', `/_sim/companies/${realmId}/records/Payment`, {
      CustomerRef: { value: s.customerQboId },
      TotalAmt: 10,
      TxnDate: '2026-04-07',
    });
    const refuse = async (qboId: string, reason: RegExp) => {
      const outcome = await h.run('voidDuplicateRecord', {
        realmId,
        idempotencyKey: `void:${realmId}:Payment:${qboId}`,
        entity: 'Payment',
        qboId,
      });
      assert.equal(outcome.status, 'failed');
      assert.match((outcome as { reason: string }).reason, reason);
    };
    await refuse(theirs.Id, /not created by qbo-sync/);
    await refuse(s.payments[0], /still has it/);
    assert.ok(
      (await h.records(realmId, 'Payment')).every((p) => p.TotalAmt > 0),
      'nothing voided',
    );
  });
});
