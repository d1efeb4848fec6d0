import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { enqueue, qboRecords, retry, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/** The seeds' error patterns, each driven by the simulator's controls, ending in the right state and hint. */
describe('sync: QuickBooks says no', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  const createInQbo = async (realmId: string, entity: string, body: object) => {
    const res = await system.sim('POST', `/_sim/companies/${realmId}/records/${entity}`, body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const patchInQbo = (realmId: string, entity: string, id: string, body: object) =>
    system.sim('PATCH', `/_sim/companies/${realmId}/records/${entity}/${id}`, body);

  it('name collision with the same party: links the existing customer instead of creating one', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const existing = await createInQbo(realmId, 'Customer', {
      DisplayName: `  ${doc.customer.displayName.toUpperCase()} `,
      PrimaryEmailAddr: { Address: doc.customer.email },
    });
    const done = await waitForState(system, await enqueue(system, doc), 'completed');
    assert.equal(done.steps.customer.records[0].action, 'linked');
    assert.equal(done.steps.customer.records[0].qboId, existing.Id);
    assert.equal((await qboRecords(system, realmId, 'Customer')).length, 1);
  });

  it('name collision with another party: needs attention with "link or rename", then a link decision completes it', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const other = await createInQbo(realmId, 'Customer', {
      DisplayName: doc.customer.displayName,
      PrimaryEmailAddr: { Address: 'someone-else@example.org' },
    });
    const syncId = await enqueue(system, doc);
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'duplicate_name');
    assert.equal(stuck.lastError.step, 'customer');
    assert.match(stuck.lastError.hint, /link/i);
    assert.match(stuck.lastError.hint, /rename/i);
    assert.match(stuck.summary, /^Customer not synced/);
    assert.equal(stuck.steps.invoice.status, 'pending', 'the invoice waits for its customer');

    const listed = await system.api('GET', `/v1/syncs?realmId=${realmId}&pattern=duplicate_name`);
    assert.equal(listed.status, 200);
    assert.ok(
      listed.body.items.some((i: any) => i.syncId === syncId),
      'findable by pattern through search attributes',
    );

    const resolved = await system.api(
      'POST',
      `/v1/syncs/${encodeURIComponent(syncId)}/resolve`,
      {
        kind: 'link',
        step: 'customer',
        sourceId: doc.customer.sourceId,
        qboId: other.Id,
        note: 'same company, old email',
      },
      system.adminKey,
    );
    assert.equal(resolved.status, 202, resolved.text);
    const done = await waitForState(system, syncId, 'completed');
    assert.equal(done.steps.customer.records[0].qboId, other.Id);
    assert.ok(
      done.decisions.some((d: any) => d.decision.kind === 'link'),
      'the decision is in the history',
    );
    assert.equal((await qboRecords(system, realmId, 'Customer')).length, 1);
    assert.equal((await qboRecords(system, realmId, 'Invoice'))[0].CustomerRef.value, other.Id);
  });

  it('item name collision: links the existing item of the same name, one item in QuickBooks', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const income = (await qboRecords(system, realmId, 'Account')).find((a) => a.AccountType === 'Income');
    const existing = await createInQbo(realmId, 'Item', {
      Name: doc.lines[0].item.name,
      Type: 'Service',
      IncomeAccountRef: { value: income.Id },
    });
    const done = await waitForState(system, await enqueue(system, doc), 'completed');
    const outcome = done.steps.items.records.find((r: any) => r.sourceId === doc.lines[0].item.sourceId);
    assert.equal(outcome.action, 'linked');
    assert.equal(outcome.qboId, existing.Id);
    const items = await qboRecords(system, realmId, 'Item');
    assert.equal(items.filter((i) => i.Name === doc.lines[0].item.name).length, 1);
  });

  it('duplicate DocNumber used by someone else: needs attention naming the other transaction; a renumbered version completes', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const [customer] = await Promise.all([
      createInQbo(realmId, 'Customer', { DisplayName: 'Walk-in customer' }),
    ]);
    const theirs = await createInQbo(realmId, 'Invoice', {
      DocNumber: doc.invoice.docNumber,
      CustomerRef: { value: customer.Id },
      TxnDate: '2026-10-01',
      Line: [
        {
          DetailType: 'SalesItemLineDetail',
          Amount: 10,
          SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10 },
        },
      ],
    });
    const syncId = await enqueue(system, doc);
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'duplicate_doc_number');
    assert.equal(stuck.lastError.step, 'invoice');
    assert.ok(
      `${stuck.lastError.detail} ${stuck.lastError.message}`.includes(theirs.Id),
      'names the transaction holding the number',
    );

    const renumbered = structuredClone(doc);
    renumbered.invoice.version = 2;
    renumbered.invoice.docNumber = `${doc.invoice.docNumber}-A`;
    assert.equal(await enqueue(system, renumbered), syncId);
    const done = await waitForState(system, syncId, 'completed');
    assert.equal(done.documentVersion, 2);
    const ours = (await qboRecords(system, realmId, 'Invoice')).filter(
      (i) => i.DocNumber === renumbered.invoice.docNumber,
    );
    assert.equal(ours.length, 1);
  });

  it('inactive customer: needs attention with the reactivate hint; reactivated in QuickBooks, a retry completes', async () => {
    const { realmId } = await system.newCompany();
    const first = invoiceDocument(realmId);
    const firstDone = await waitForState(system, await enqueue(system, first), 'completed');
    const customerId = firstDone.steps.customer.records[0].qboId;
    assert.equal((await patchInQbo(realmId, 'Customer', customerId, { Active: false })).status, 200);

    const second = invoiceDocument(realmId);
    second.customer = first.customer;
    const syncId = await enqueue(system, second);
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'inactive_or_missing_reference');
    assert.match(stuck.lastError.hint, /reactivate/i);

    await patchInQbo(realmId, 'Customer', customerId, { Active: true });
    await retry(system, syncId);
    await waitForState(system, syncId, 'completed');
    assert.equal((await qboRecords(system, realmId, 'Customer')).length, 1);
  });

  it('inactive item with the reactivate policy: qbo-sync reactivates it and completes', async () => {
    const { realmId } = await system.newCompany();
    const policy = await system.api(
      'PUT',
      `/v1/policies/${realmId}`,
      { onInactiveReference: 'reactivate' },
      system.adminKey,
    );
    assert.equal(policy.status, 200, policy.text);
    const first = invoiceDocument(realmId);
    const firstDone = await waitForState(system, await enqueue(system, first), 'completed');
    const itemId = firstDone.steps.items.records[0].qboId;
    await patchInQbo(realmId, 'Item', itemId, { Active: false });

    const second = invoiceDocument(realmId);
    second.customer = first.customer;
    second.lines = first.lines;
    const syncId = await enqueue(system, second);
    await waitForState(system, syncId, 'completed');
    const item = (await qboRecords(system, realmId, 'Item')).find((i) => i.Id === itemId);
    assert.equal(item.Active, true);
    assert.equal(
      (await qboRecords(system, realmId, 'Item')).length,
      first.lines.length,
      'reactivated, not recreated',
    );
  });

  it('invalid characters and a long DocNumber are refused at the API, naming each field, before any QuickBooks call', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    doc.customer.displayName = 'Acme: West\tBranch';
    doc.lines[0].item.name = 'Widget\nLarge';
    doc.invoice.docNumber = 'INV-2026-000000000000001';
    doc.lines[1].amount = 99;
    const res = await system.api('POST', '/v1/syncs', doc);
    assert.equal(res.status, 422);
    const paths = res.body.error.fields.map((f: any) => f.path);
    for (const path of ['customer.displayName', 'lines.0.item.name', 'invoice.docNumber', 'lines.1.amount']) {
      assert.ok(paths.includes(path), `${path} is named in ${JSON.stringify(paths)}`);
    }
    const docNumber = res.body.error.fields.find((f: any) => f.path === 'invoice.docNumber');
    assert.match(docNumber.reason, /21/);
    const counters = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body;
    assert.equal(counters.total, 0, 'QuickBooks was never called');
    const listed = await system.api('GET', `/v1/syncs?realmId=${realmId}`);
    assert.equal(listed.body.items.length, 0, 'no workflow was started');
  });

  it('tax mismatch on a non-US company: needs attention with the tax-code hint', async () => {
    const { realmId } = await system.newCompany({ country: 'GB' });
    const doc = invoiceDocument(realmId);
    for (const line of doc.lines) delete line.taxCategory;
    const stuck = await waitForState(system, await enqueue(system, doc), 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'tax_mismatch');
    assert.match(stuck.lastError.detail + stuck.lastError.message, /VAT/);
    assert.match(stuck.lastError.hint, /tax/i);
  });

  it('missing income account: needs attention as an account mapping problem; fixed in QuickBooks, a retry completes', async () => {
    const { realmId } = await system.newCompany();
    const incomeAccounts = (await qboRecords(system, realmId, 'Account')).filter(
      (a) => a.AccountType === 'Income',
    );
    for (const a of incomeAccounts) await patchInQbo(realmId, 'Account', a.Id, { Active: false });
    const syncId = await enqueue(system, invoiceDocument(realmId));
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'account_mapping');
    assert.equal(stuck.lastError.step, 'items');
    assert.match(stuck.lastError.hint, /income account/i);

    for (const a of incomeAccounts) await patchInQbo(realmId, 'Account', a.Id, { Active: true });
    await retry(system, syncId);
    await waitForState(system, syncId, 'completed');
  });

  it('company subscription lapsed, reported as a Fault inside HTTP 200: needs attention, never retried blindly', async () => {
    const { realmId } = await system.newCompany();
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { subscriptionLapsed: '200' });
    const syncId = await enqueue(system, invoiceDocument(realmId));
    const stuck = await waitForState(system, syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'company_status');
    const writes = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body.writes;

    await new Promise((r) => setTimeout(r, 3_000));
    const after = (await system.sim('GET', `/_sim/companies/${realmId}/counters`)).body.writes;
    assert.equal(after, writes, 'no blind retries while it waits for a person');

    await system.sim('PATCH', `/_sim/companies/${realmId}`, { subscriptionLapsed: false });
    await retry(system, syncId);
    await waitForState(system, syncId, 'completed');
  });
});
