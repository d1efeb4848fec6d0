import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminPage } from '../support/admin-page';
import { eventually } from '../support/http';
import { invoiceDocument, unique } from '../support/documents';
import { qboRecords, waitForState as waitForSync } from '../support/syncs';
import { startSystem, type System } from '../support/system';
import type { SyncDocument } from '../../workflows/contract';

describe('reconciliation and payments recorded by someone else, through the API, Temporal and QuickBooks', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    system.api(method, path, body, system.adminKey);
  const waitForState = (syncId: string, state: string) => waitForSync(system, syncId, state);
  const records = (realmId: string, entity: string) => qboRecords(system, realmId, entity);
  const send = async (doc: SyncDocument) => {
    const res = await system.api('POST', '/v1/syncs', doc);
    assert.equal(res.status, 202, res.text);
    return res.body.syncId as string;
  };

  /** Syncs an invoice without payments, then enters a payment of 100.00 straight into QuickBooks for it. */
  async function invoiceWithForeignPayment(realmId: string) {
    const doc = invoiceDocument(realmId);
    const syncId = await send(doc);
    const done = await waitForState(syncId, 'completed');
    const customerQboId = done.steps.customer.records[0].qboId;
    const invoiceQboId = done.steps.invoice.records[0].qboId;
    const theirs = await system.sim('POST', `/_sim/companies/${realmId}/records/Payment`, {
      CustomerRef: { value: customerQboId },
      TotalAmt: 100,
      TxnDate: '2026-11-05',
      PrivateNote: 'Stripe ch_123',
      Line: [{ Amount: 100, LinkedTxn: [{ TxnId: invoiceQboId, TxnType: 'Invoice' }] }],
    });
    assert.equal(theirs.status, 201, theirs.text);
    const payment = { sourceId: `pay-${unique()}`, txnDate: '2026-11-05', amount: 100 };
    const v2 = { ...doc, invoice: { ...doc.invoice, version: 2 }, payments: [payment] };
    return { doc: v2, syncId, payment, foreignId: theirs.body.Id as string };
  }

  it('a payment another app recorded first is linked, not duplicated (default policy)', async () => {
    const { realmId } = await system.newCompany();
    const s = await invoiceWithForeignPayment(realmId);
    await send(s.doc);
    const done = await eventually(
      async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(s.syncId)}`)).body,
      (b) => b?.state === 'completed' && b.documentVersion === 2,
      60_000,
      'version 2 completed',
    );
    assert.deepEqual(done.steps.payments.records[0], {
      sourceId: s.payment.sourceId,
      qboId: s.foreignId,
      action: 'linked',
    });
    assert.equal((await records(realmId, 'Payment')).length, 1);

    const view = await admin('GET', `/v1/companies/${realmId}/payments/${s.payment.sourceId}`);
    assert.equal(view.status, 200, view.text);
    assert.equal(view.body.link.linkedBy, 'foreign');
    assert.equal(view.body.quickbooks.id, s.foreignId);
  });

  it('under ask the sync waits with a hint; link completes it, create-anyway creates ours', async () => {
    const { realmId } = await system.newCompany();
    const policy = await admin('PUT', `/v1/policies/${realmId}`, { onForeignPayment: 'ask' });
    assert.equal(policy.body.onForeignPayment, 'ask');

    const a = await invoiceWithForeignPayment(realmId);
    await send(a.doc);
    const waiting = await waitForState(a.syncId, 'needs_attention');
    assert.equal(waiting.lastError.step, 'payments');
    assert.match(waiting.lastError.hint, new RegExp(`QuickBooks id ${a.foreignId}`));
    // Reconciliation meanwhile: the waiting payment is "not synced", naming its sync and its state, and the
    // other app's payment is "entered in QuickBooks" with a button to link the two.
    await admin('POST', `/v1/companies/${realmId}/reconciliation`);
    const result = (
      await eventually(
        () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
        (r) => r.status === 200,
        60_000,
        'a reconciliation result',
      )
    ).body;
    const stuck = result.mismatches.find((m: any) => m.kind === 'not_synced');
    assert.equal(stuck.sourceId, a.payment.sourceId);
    assert.equal(stuck.syncId, a.syncId);
    assert.equal(stuck.syncState, 'needs_attention');
    const theirs = result.mismatches.find((m: any) => m.kind === 'entered_in_quickbooks');
    assert.equal(theirs.qboId, a.foreignId);
    assert.deepEqual(
      theirs.actions.map((x: any) => [x.kind, x.target.sourceId]),
      [['link', a.payment.sourceId]],
    );
    const resolve = await admin('POST', `/v1/syncs/${encodeURIComponent(a.syncId)}/resolve`, {
      kind: 'link',
      step: 'payments',
      sourceId: a.payment.sourceId,
      qboId: a.foreignId,
    });
    assert.equal(resolve.status, 202, resolve.text);
    await waitForState(a.syncId, 'completed');

    const b = await invoiceWithForeignPayment(realmId);
    await send(b.doc);
    await waitForState(b.syncId, 'needs_attention');
    const anyway = await admin(
      'POST',
      `/v1/companies/${realmId}/payments/${b.payment.sourceId}/create-anyway`,
    );
    assert.equal(anyway.status, 202, anyway.text);
    const done = await waitForState(b.syncId, 'completed');
    assert.equal(done.steps.payments.records.at(-1).action, 'created');
    // a's foreign payment linked; b's foreign payment and ours: three in all, none doubled for a.
    assert.equal((await records(realmId, 'Payment')).length, 3);
  });

  it('runs on demand, explains a direct payment and a duplicate invoice, and voids the duplicate once', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const syncId = await send(doc);
    const done = await waitForState(syncId, 'completed');
    const [original] = await records(realmId, 'Invoice');
    const { Id: _i, SyncToken: _s, MetaData: _m, LinkedTxn: _l, Balance: _b, ...copy } = original;
    const twin = (await system.sim('POST', `/_sim/companies/${realmId}/records/Invoice`, copy)).body;
    const direct = (
      await system.sim('POST', `/_sim/companies/${realmId}/records/Payment`, {
        CustomerRef: { value: done.steps.customer.records[0].qboId },
        TotalAmt: 45.5,
        TxnDate: '2026-11-09',
      })
    ).body;

    assert.equal((await admin('GET', `/v1/companies/${realmId}/reconciliation`)).status, 404);
    const run = await admin('POST', `/v1/companies/${realmId}/reconciliation`);
    assert.equal(run.status, 202, run.text);
    const first = await eventually(
      () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
      (r) => r.status === 200,
      60_000,
      'a reconciliation result',
    );
    const kinds = first.body.mismatches.map((m: any) => `${m.kind}:${m.qboId}`).sort();
    assert.deepEqual(kinds, [`duplicate:${twin.Id}`, `entered_in_quickbooks:${direct.Id}`].sort());
    assert.equal(first.body.totals.differenceCents, 34550 - 4550);
    assert.ok(first.body.qboCalls <= 5, `bulk reads only: ${first.body.qboCalls}`);

    const duplicate = first.body.mismatches.find((m: any) => m.kind === 'duplicate');
    const act = () =>
      admin('POST', `/v1/companies/${realmId}/reconciliation/actions`, {
        mismatchId: duplicate.id,
        action: 'void_duplicate',
        reconciliationId: first.body.id,
      });
    assert.equal((await act()).status, 202);
    const after = await eventually(
      () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
      (r) => r.status === 200 && r.body.id > first.body.id,
      60_000,
      'the run after the void',
    );
    assert.deepEqual(
      after.body.mismatches.map((m: any) => m.kind),
      ['entered_in_quickbooks'],
    );
    assert.equal(after.body.totals.differenceCents, -4550, 'only the direct payment remains');
    const again = await act();
    assert.equal(again.status, 200, 'the same action again is the recorded one');
    assert.equal(again.body.action.status, 'done');
    const invoices = await records(realmId, 'Invoice');
    assert.equal(invoices.length, 2);
    assert.equal(invoices.find((i: any) => i.Id === twin.Id).TotalAmt, 0, 'voided, not deleted');

    const badBalances = await system.api('PUT', `/v1/companies/${realmId}/balances`, [
      { customerSourceId: doc.customer.sourceId, balance: 1.234, asOf: '2026-11-30' },
    ]);
    assert.equal(badBalances.status, 422);
    assert.equal(badBalances.body.error.fields[0].path, '0.balance');
    const balances = await system.api('PUT', `/v1/companies/${realmId}/balances`, [
      { customerSourceId: doc.customer.sourceId, balance: 300, asOf: '2026-11-30' },
    ]);
    assert.equal(balances.status, 200, balances.text);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      customerSourceId: `c-${i}`,
      balance: 1,
      asOf: '2026-11-30',
    }));
    assert.equal((await system.api('PUT', `/v1/companies/${realmId}/balances`, tooMany)).status, 422);
    const twice = await system.api('PUT', `/v1/companies/${realmId}/balances`, [
      { customerSourceId: 'c-1', balance: 1, asOf: '2026-11-30' },
      { customerSourceId: 'c-1', balance: 2, asOf: '2026-11-30' },
    ]);
    assert.equal(twice.status, 422);
    assert.equal(twice.body.error.fields[0].path, '1.customerSourceId');
    const notOffered = await admin('POST', `/v1/companies/${realmId}/reconciliation/actions`, {
      mismatchId: after.body.mismatches[0].id,
      action: 'void_duplicate',
    });
    assert.equal(notOffered.status, 409, 'a payment entered by hand is never voided by qbo-sync');
    const unknown = await admin('POST', `/v1/companies/${realmId}/reconciliation/actions`, {
      mismatchId: 'nope',
      action: 'resync',
    });
    assert.equal(unknown.status, 404);
    const asSource = await system.api('GET', `/v1/companies/${realmId}/reconciliation`);
    assert.equal(asSource.status, 403, 'results need the admin key');
  });

  it('the admin page lists the mismatches with their buttons, voids once from a button, and shows a payment', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-05', amount: 100 }],
    });
    const syncId = await send(doc);
    await waitForState(syncId, 'completed');
    const [original] = await records(realmId, 'Invoice');
    const { Id: _i, SyncToken: _s, MetaData: _m, LinkedTxn: _l, Balance: _b, ...copy } = original;
    const twin = (await system.sim('POST', `/_sim/companies/${realmId}/records/Invoice`, copy)).body;
    await admin('POST', `/v1/companies/${realmId}/reconciliation`);
    await eventually(
      () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
      (r) => r.status === 200,
      60_000,
      'a reconciliation result',
    );

    const { cookie, page } = await adminPage(system);
    const company = await page(`/admin/companies/${realmId}`);
    assert.match(
      company.html,
      new RegExp(`/admin/companies/${realmId}/reconciliation`),
      'the company page links it',
    );
    const first = await page(`/admin/companies/${realmId}/reconciliation`);
    assert.equal(first.status, 200);
    assert.match(
      first.html,
      new RegExp(`Two QuickBooks invoices for source invoice ${doc.invoice.sourceId}`),
    );
    assert.match(first.html, /Void duplicate/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(first.html)![1];
    const mismatchId = /name="mismatchId" value="([^"]+)"/.exec(first.html)![1];
    const reconciliationId = /name="reconciliationId" value="([^"]+)"/.exec(first.html)![1];
    const press = () =>
      fetch(`${system.apiUrl}/admin/companies/${realmId}/reconciliation/actions`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, mismatchId, action: 'void_duplicate', reconciliationId }),
      });
    assert.equal((await press()).status, 303);
    await eventually(
      () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
      (r) => r.status === 200 && r.body.id > Number(reconciliationId),
      60_000,
      'the run after the void',
    );
    const second = await press();
    assert.match(decodeURIComponent(second.headers.get('location') ?? ''), /already done/);
    const voided = (await records(realmId, 'Invoice')).filter((i: any) => i.TotalAmt === 0);
    assert.deepEqual(
      voided.map((i: any) => i.Id),
      [twin.Id],
      'one void, of the duplicate',
    );
    const after = await page(`/admin/companies/${realmId}/reconciliation`);
    assert.match(after.html, /QuickBooks agrees with the source app/);

    const payment = await page(`/admin/companies/${realmId}/payments/${doc.payments[0].sourceId}`);
    assert.equal(payment.status, 200);
    assert.match(payment.html, new RegExp(`Payment ${doc.payments[0].sourceId}`));
    assert.match(payment.html, /linked by/);
  });

  it('re-sync from the result re-creates a payment deleted in QuickBooks and puts an edited amount back', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-05', amount: 100 }],
    });
    const syncId = await send(doc);
    const done = await waitForState(syncId, 'completed');
    const paymentQboId = done.steps.payments.records[0].qboId;
    await system.sim('DELETE', `/_sim/companies/${realmId}/records/Payment/${paymentQboId}`);
    const [invoice] = await records(realmId, 'Invoice');
    const Line = invoice.Line.map((l: any, i: number) => (i === 0 ? { ...l, Amount: 250 } : l));
    await system.sim('PATCH', `/_sim/companies/${realmId}/records/Invoice/${invoice.Id}`, {
      Line,
      TotalAmt: invoice.TotalAmt - 50,
    });

    const reconciled = async (after: number) =>
      (
        await eventually(
          () => admin('GET', `/v1/companies/${realmId}/reconciliation`),
          (r) => r.status === 200 && r.body.id > after,
          60_000,
          'a new reconciliation result',
        )
      ).body;
    await admin('POST', `/v1/companies/${realmId}/reconciliation`);
    const first = await reconciled(0);
    const kinds = first.mismatches.map((m: any) => `${m.kind}:${m.entity}`).sort();
    assert.deepEqual(kinds, ['amount_edited:Invoice', 'missing_in_quickbooks:Payment']);
    assert.equal(first.totals.differenceCents, -5000 + 10000);

    for (const kind of ['missing_in_quickbooks', 'amount_edited']) {
      const m = first.mismatches.find((x: any) => x.kind === kind);
      const res = await admin('POST', `/v1/companies/${realmId}/reconciliation/actions`, {
        mismatchId: m.id,
        action: 'resync',
        reconciliationId: first.id,
      });
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.action.result.sync, 'started');
      await waitForState(syncId, 'completed');
    }
    const payments = await records(realmId, 'Payment');
    assert.equal(
      payments.filter((p: any) => p.status !== 'Deleted').length,
      1,
      'the payment is recorded again',
    );
    assert.equal((await records(realmId, 'Invoice'))[0].Line[0].Amount, 300, 'the source amount is back');

    await admin('POST', `/v1/companies/${realmId}/reconciliation`);
    const after = await reconciled(first.id);
    assert.deepEqual(after.mismatches, []);
    assert.equal(after.totals.differenceCents, 0);
  });
});
