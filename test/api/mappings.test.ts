import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument, unique } from '../support/documents';
import { eventually } from '../support/http';
import { startSystem, type System } from '../support/system';

describe('mappings: an admin fixes a stuck sync through the mappings API, then retries', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    system.api(method, path, body, system.adminKey);
  const waitForState = (syncId: string, state: string) =>
    eventually(
      async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body,
      (s) => s?.state === state,
      60_000,
      `sync ${syncId} ${state}`,
    );
  const records = async (realmId: string, entity: string) =>
    (await system.sim('GET', `/_sim/companies/${realmId}/records/${entity}`)).body.records as any[];

  it('item name collision under policy "ask": link the existing QuickBooks item, retry, one item with that name', async () => {
    const { realmId } = await system.newCompany();
    const policy = await admin('PUT', `/v1/policies/${realmId}`, { onNameCollision: 'ask' });
    assert.equal(policy.status, 200, policy.text);
    assert.deepEqual(policy.body, {
      realmId,
      onNameCollision: 'ask',
      onInactiveReference: 'ask',
      docNumbers: 'source',
      onForeignPayment: 'link',
    });
    const badPolicy = await admin('PUT', `/v1/policies/${realmId}`, { onNameCollision: 'merge' });
    assert.equal(badPolicy.status, 422);
    assert.equal(badPolicy.body.error.fields[0].path, 'onNameCollision');

    const doc = invoiceDocument(realmId);
    const item = doc.lines[0].item;
    const [income] = (await records(realmId, 'Account')).filter((a) => a.AccountType === 'Income');
    // Someone typed the item into QuickBooks before qbo-sync was connected.
    const typed = await system.sim('POST', `/_sim/companies/${realmId}/records/Item`, {
      Name: item.name,
      Type: 'Service',
      UnitPrice: 140,
      IncomeAccountRef: { value: income.Id },
    });
    assert.equal(typed.status, 201, typed.text);
    const existingId: string = typed.body.Id;

    const enqueued = await system.api('POST', '/v1/syncs', doc);
    assert.equal(enqueued.status, 202, enqueued.text);
    const stuck = await waitForState(enqueued.body.syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'duplicate_name');
    assert.equal(stuck.lastError.step, 'items');
    assert.equal(stuck.lastError.sourceId, item.sourceId);
    assert.match(stuck.lastError.hint, /Link the existing item/);

    // Suggestions: by name, and for everything the company's stuck syncs wait on.
    const byName = await admin(
      'GET',
      `/v1/mappings/${realmId}/suggestions?entity=Item&name=${encodeURIComponent(`  ${item.name.toUpperCase()} `)}`,
    );
    assert.equal(byName.status, 200, byName.text);
    assert.deepEqual(byName.body.suggestions[0].candidates[0], {
      qboId: existingId,
      name: item.name,
      active: true,
      match: 'exact',
    });
    const contains = await admin('GET', `/v1/mappings/${realmId}/suggestions?entity=Item&name=Consulting`);
    assert.ok(
      contains.body.suggestions[0].candidates.some(
        (c: any) => c.qboId === existingId && c.match === 'contains',
      ),
    );
    const stuckOnes = await eventually(
      async () => (await admin('GET', `/v1/mappings/${realmId}/suggestions`)).body,
      (b) => b?.suggestions?.length === 1,
      20_000,
      'suggestions for stuck syncs',
    );
    assert.equal(stuckOnes.suggestions[0].sourceId, item.sourceId);
    assert.equal(stuckOnes.suggestions[0].syncId, enqueued.body.syncId);
    assert.equal(stuckOnes.suggestions[0].candidates[0].qboId, existingId);

    // A QuickBooks id that does not exist is refused before anything is stored.
    const unknown = await admin('PUT', `/v1/mappings/${realmId}/items/${item.sourceId}`, { qboId: '987654' });
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(unknown.body.error.fields[0].path, 'qboId');

    const linked = await admin('PUT', `/v1/mappings/${realmId}/items/${item.sourceId}`, {
      qboId: existingId,
    });
    assert.equal(linked.status, 200, linked.text);
    assert.equal(linked.body.qboId, existingId);
    assert.equal(linked.body.linkedBy, 'admin');
    const listed = await admin('GET', `/v1/mappings/${realmId}/items`);
    assert.ok(
      listed.body.links.some(
        (l: any) => l.sourceId === item.sourceId && l.qboId === existingId && l.status === 'linked',
      ),
    );

    const retried = await admin('POST', `/v1/syncs/${encodeURIComponent(enqueued.body.syncId)}/retry`, {});
    assert.equal(retried.status, 202, retried.text);
    const done = await waitForState(enqueued.body.syncId, 'completed');
    assert.equal(
      done.steps.items.records.find((r: any) => r.sourceId === item.sourceId && !r.error)?.qboId,
      existingId,
    );

    const sameName = (await records(realmId, 'Item')).filter((r) => r.Name === item.name);
    assert.equal(sameName.length, 1, 'QuickBooks has exactly one item with the name');
    const [invoice] = await records(realmId, 'Invoice');
    assert.equal(
      invoice.Line[0].SalesItemLineDetail.ItemRef.value,
      existingId,
      'the invoice uses the linked item',
    );
  });

  it('tax mismatch (US): a category mapped to a code QuickBooks refuses on lines, remapped to TAX, then retry', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    doc.lines[1].taxCategory = `standard-${unique()}`;
    const category = doc.lines[1].taxCategory;

    const refused = await system.api('POST', '/v1/syncs', doc);
    assert.equal(refused.status, 422, 'an unknown category is refused at the door');
    assert.equal(refused.body.error.fields[0].path, 'lines.1.taxCategory');
    assert.ok(
      refused.body.error.fields[0].reason.includes(`PUT /v1/mappings/${realmId}/tax-categories/${category}`),
    );

    // A state tax code exists in the company, but US invoice lines only take TAX or NON (QuickBooks 6100).
    const code = await system.sim('POST', `/_sim/companies/${realmId}/records/TaxCode`, {
      Name: 'CA State',
      Taxable: true,
    });
    const mapped = await admin('PUT', `/v1/mappings/${realmId}/tax-categories/${category}`, {
      taxCodeId: code.body.Id,
    });
    assert.equal(mapped.status, 200, mapped.text);
    const noSuchCode = await admin('PUT', `/v1/mappings/${realmId}/tax-categories/${category}`, {
      taxCodeId: '4242',
    });
    assert.equal(noSuchCode.status, 422);
    assert.equal(noSuchCode.body.error.fields[0].path, 'taxCodeId');

    const enqueued = await system.api('POST', '/v1/syncs', doc);
    assert.equal(enqueued.status, 202, enqueued.text);
    const stuck = await waitForState(enqueued.body.syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'tax_mismatch');
    assert.equal(stuck.lastError.step, 'invoice');
    assert.match(stuck.lastError.hint, /tax category mapping/);

    const remapped = await admin('PUT', `/v1/mappings/${realmId}/tax-categories/${category}`, {
      taxCodeId: 'TAX',
    });
    assert.equal(remapped.status, 200, remapped.text);
    assert.equal(
      (await admin('POST', `/v1/syncs/${encodeURIComponent(enqueued.body.syncId)}/retry`, {})).status,
      202,
    );
    await waitForState(enqueued.body.syncId, 'completed');
    const [invoice] = await records(realmId, 'Invoice');
    assert.equal(invoice.Line[1].SalesItemLineDetail.TaxCodeRef.value, 'TAX');
  });

  it('tax mismatch (GB): no VAT code on the lines, fixed by mapping the category to the company’s VAT code', async () => {
    const { realmId } = await system.newCompany({ country: 'GB' });
    const doc = invoiceDocument(realmId);
    // 'taxable' is built in (TAX, a US code): a GB company has no such code, so QuickBooks refuses the line.
    doc.lines.forEach((l) => (l.taxCategory = 'taxable'));
    const enqueued = await system.api('POST', '/v1/syncs', doc);
    assert.equal(enqueued.status, 202, enqueued.text);
    const stuck = await waitForState(enqueued.body.syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'tax_mismatch', JSON.stringify(stuck.lastError));
    assert.match(stuck.lastError.hint, /tax category mapping/);

    const vat = (await records(realmId, 'TaxCode')).find((t) => t.Name === '20.0% S');
    const mapped = await admin('PUT', `/v1/mappings/${realmId}/tax-categories/taxable`, {
      taxCodeId: vat.Id,
    });
    assert.equal(mapped.status, 200, mapped.text);
    assert.equal(mapped.body.qboName, '20.0% S');
    assert.equal(
      (await admin('POST', `/v1/syncs/${encodeURIComponent(enqueued.body.syncId)}/retry`, {})).status,
      202,
    );
    await waitForState(enqueued.body.syncId, 'completed');
    const [invoice] = await records(realmId, 'Invoice');
    assert.equal(invoice.Line[0].SalesItemLineDetail.TaxCodeRef.value, vat.Id);
  });

  it('accounts map by name or id, and only to an account of the right type', async () => {
    const { realmId } = await system.newCompany();
    const byName = await admin('PUT', `/v1/mappings/${realmId}/income-accounts/Service`, {
      accountName: 'Services',
    });
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.body.qboName, 'Services');
    const wrongType = await admin('PUT', `/v1/mappings/${realmId}/deposit-accounts/default`, {
      accountName: 'Services',
    });
    assert.equal(wrongType.status, 422);
    assert.match(wrongType.body.error.fields[0].reason, /needs Bank or Other Current Asset/);
    const missing = await admin('PUT', `/v1/mappings/${realmId}/income-accounts/default`, {
      accountName: 'No Such Account',
    });
    assert.equal(missing.status, 422);
    const both = await admin('PUT', `/v1/mappings/${realmId}/income-accounts/default`, {
      accountName: 'Services',
      accountId: '4',
    });
    assert.equal(both.status, 422);
    const checking = (await records(realmId, 'Account')).find((a) => a.Name === 'Checking');
    const byId = await admin('PUT', `/v1/mappings/${realmId}/deposit-accounts/default`, {
      accountId: checking.Id,
    });
    assert.equal(byId.status, 200, byId.text);
    const all = await admin('GET', `/v1/mappings/${realmId}`);
    assert.deepEqual(all.body.mappings.map((m: any) => `${m.kind}:${m.sourceKey}:${m.qboName}`).sort(), [
      'deposit_account:default:Checking',
      'income_account:Service:Services',
    ]);
    assert.equal((await admin('DELETE', `/v1/mappings/${realmId}/deposit-accounts/default`)).status, 200);
    assert.equal((await admin('DELETE', `/v1/mappings/${realmId}/deposit-accounts/default`)).status, 404);
  });
});
