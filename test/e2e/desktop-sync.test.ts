import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newDesktopCompany } from '../support/desktop';
import { eventually } from '../support/http';
import { invoiceDocument, unique } from '../support/documents';
import { recordHistory } from '../support/record-history';
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

    // The same API and diagnostics pages serve the Desktop company.
    const listed = await eventually(
      async () =>
        (await system.api('GET', `/v1/syncs?realmId=${desktop.realmId}`, undefined, system.adminKey)).body,
      (b) => b?.items?.length === 1,
      20_000,
      'the sync listed for the Desktop company',
    );
    assert.equal(listed.items[0].syncId, syncId);
    const login = await fetch(`${system.apiUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: system.adminKey }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const page = async (path: string) => {
      const res = await fetch(`${system.apiUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
      return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
    };
    const overview = await page('/admin');
    assert.match(overview.text, new RegExp(`/admin/companies/${desktop.realmId}`));
    const company = await page(`/admin/companies/${desktop.realmId}`);
    assert.equal(company.status, 200);
    assert.match(company.text, /QuickBooks Desktop/);
    assert.match(company.text, /last polled \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    assert.match(company.text, new RegExp(syncId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const qwc = await page(`/admin/companies/${desktop.realmId}/qwc`);
    assert.equal(qwc.status, 200);
    assert.match(String(qwc.type), /xml/);
    assert.match(qwc.text, new RegExp(`<AppURL>${system.apiUrl}/qbwc</AppURL>`));
    assert.match(qwc.text, new RegExp(`<UserName>${desktop.username}</UserName>`));
    assert.match(qwc.text, /<FileID>\{[0-9A-F-]{36}\}<\/FileID>/);
    assert.match(qwc.text, /<QBType>QBFS<\/QBType>/);
    assert.doesNotMatch(qwc.text, new RegExp(desktop.password), 'the password is never in the file');
  });

  it('an updated document becomes an InvoiceMod in place, and a payment added later is applied', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    const doc = invoiceDocument(desktop.realmId);
    const syncId = await enqueue(system, doc);
    await waitForState(system, syncId, 'completed', 90_000);

    const v2 = structuredClone(doc);
    v2.invoice.version = 2;
    v2.lines[0].quantity = 3;
    v2.lines[0].amount = 450;
    v2.payments = [{ sourceId: `pay-${unique()}`, txnDate: '2026-11-10', amount: 495.5 }];
    assert.equal(await enqueue(system, v2), syncId);
    const done = await waitForState(system, syncId, 'completed', 90_000);
    assert.equal(done.documentVersion, 2);
    assert.equal(done.steps.invoice.records[0].action, 'updated');
    const invoices = await desktop.records('invoices');
    assert.equal(invoices.length, 1, 'updated, never duplicated');
    assert.equal(Number(invoices[0].Subtotal), 495.5);
    assert.equal(Number(invoices[0].BalanceRemaining), 0, 'the later payment pays it off');
    assert.equal((await desktop.records('payments')).length, 1);
    await recordHistory(syncId, `desktop-completed-updated-${syncId.slice(-8)}`);
  });

  it('a customer already in Desktop under the same name (same email) is linked, not duplicated', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    const doc = invoiceDocument(desktop.realmId);
    await system.sim('POST', `/_sim/desktop/companies/${desktop.realmId}/records/customers`, {
      Name: doc.customer.displayName,
      Email: doc.customer.email,
    });
    const done = await waitForState(system, await enqueue(system, doc), 'completed', 90_000);
    assert.equal(done.steps.customer.records[0].action, 'linked');
    assert.equal((await desktop.records('customers')).length, 1);
  });

  it('a stale EditSequence (someone edited the invoice in Desktop) is re-read and the Mod applied once more', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    const doc = invoiceDocument(desktop.realmId);
    const syncId = await enqueue(system, doc);
    await waitForState(system, syncId, 'completed', 90_000);
    await desktop.fault({ kind: 'stale-edit-sequence', match: { request: 'InvoiceMod' } });
    const v2 = structuredClone(doc);
    v2.invoice.version = 2;
    v2.lines[1].amount = 91;
    v2.lines[1].quantity = 2;
    await enqueue(system, v2);
    const done = await waitForState(system, syncId, 'completed', 90_000);
    assert.equal(done.steps.invoice.records[0].action, 'updated');
    const [invoice] = await desktop.records('invoices');
    assert.equal(Number(invoice.Subtotal), 391);
    const mods = (await sessionRequests(desktop.realmId)).filter((r) => r.request === 'InvoiceMod');
    assert.deepEqual(
      mods.map((r) => r.statusCode),
      [3200, 0],
      'refused once for the stale EditSequence, then applied',
    );
  });

  it('a locked list (3175) refuses the CustomerAdd twice: it is resent and one customer is made', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    await desktop.fault({ kind: 'list-locked', code: 3175, times: 2, match: { request: 'CustomerAdd' } });
    const doc = invoiceDocument(desktop.realmId);
    const done = await waitForState(system, await enqueue(system, doc), 'completed', 90_000);
    assert.equal(done.steps.customer.records[0].action, 'created');
    assert.equal((await desktop.records('customers')).length, 1);
    const adds = (await sessionRequests(desktop.realmId)).filter((r) => r.request === 'CustomerAdd');
    assert.deepEqual(
      adds.map((r) => r.statusCode),
      [3175, 3175, 0],
    );
  });

  it('a session that dies after Desktop applied the InvoiceAdd leaves exactly one invoice', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    await desktop.fault({ kind: 'drop-session', match: { request: 'InvoiceAdd' } });
    const doc = invoiceDocument(desktop.realmId);
    const syncId = await enqueue(system, doc);
    const done = await waitForState(system, syncId, 'completed', 90_000);
    assert.equal(done.steps.invoice.records[0].action, 'created');
    const invoices = await desktop.records('invoices');
    assert.equal(invoices.length, 1, 'looked up by RefNumber and memo marker, not sent again');
    const sessions = (await system.sim('GET', `/_sim/desktop/companies/${desktop.realmId}/sessions`)).body
      .sessions;
    assert.ok(
      sessions.some((s: any) => s.outcome === 'dropped'),
      'the session did die',
    );
    await recordHistory(syncId, `desktop-completed-dropped-${syncId.slice(-8)}`);
  });

  it('with the PC off, syncs pause waiting for the Web Connector, and all complete when it polls again', async () => {
    const desktop = await newDesktopCompany(system, { pollSeconds: 1 });
    await desktop.offline();
    const docs = [invoiceDocument(desktop.realmId), invoiceDocument(desktop.realmId)];
    const syncIds = [];
    for (const doc of docs) syncIds.push(await enqueue(system, doc));
    for (const syncId of syncIds) {
      const paused = await waitForState(system, syncId, 'paused', 60_000);
      assert.equal(paused.pauseReason, 'connector_offline');
      assert.match(paused.summary, /Waiting for the Web Connector since/);
    }
    const connections = await system.api('GET', '/v1/desktop-connections', undefined, system.adminKey);
    const mine = connections.body.connections.find((c: any) => c.realmId === desktop.realmId);
    assert.equal(mine.lastPolledAt, null, 'the connector never polled');
    await recordHistory(syncIds[0], `desktop-paused-connector-offline-${syncIds[0].slice(-8)}`);

    await desktop.online();
    for (const syncId of syncIds) await waitForState(system, syncId, 'completed', 90_000);
    assert.equal((await desktop.records('invoices')).length, 2);
    assert.equal((await desktop.records('customers')).length, 2);
    const after = await system.api('GET', '/v1/desktop-connections', undefined, system.adminKey);
    assert.ok(after.body.connections.find((c: any) => c.realmId === desktop.realmId).lastPolledAt);
    await recordHistory(syncIds[0], `desktop-completed-after-offline-${syncIds[0].slice(-8)}`);
  });

  /** Every qbXML request the simulated Web Connector carried, in order, with Desktop's status. */
  async function sessionRequests(realmId: string): Promise<{ request: string; statusCode: number }[]> {
    const res = await system.sim('GET', `/_sim/desktop/companies/${realmId}/sessions`);
    return res.body.sessions.flatMap((s: any) => s.requests);
  }
});
