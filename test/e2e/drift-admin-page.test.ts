/**
 * The diagnostics page's drift list through the real parts: a record changed in the simulator, reported
 * by webhook, listed on /admin/companies/{realmId}/drift, and decided from its buttons, which go through
 * the same service as `POST /v1/syncs/{id}/resolve`. Also the ChangedInQuickBooks search attribute as
 * `GET /v1/syncs` reads it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { adminPage, csrfOf, type AdminPage } from '../support/admin-page';
import { invoiceDocument } from '../support/documents';
import { eventually } from '../support/http';
import { enqueue, qboRecords, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';
import { subscribeWebhooks } from '../support/webhooks';

const verifier = `verifier-${randomBytes(6).toString('hex')}`;
let system: System;
let admin: AdminPage;

before(async () => {
  system = await startSystem({ env: { QBO_WEBHOOK_VERIFIER_TOKEN: verifier, CHANGE_SETTLE_MS: '200' } });
  admin = await adminPage(system);
});
after(async () => {
  await system?.stop();
});

const page = (path: string) => admin.page(path);
const press = (action: string, fields: Record<string, string>, csrf: string) =>
  admin.press(action, fields, csrf);
const drift = async (realmId: string) =>
  (await system.api('GET', `/v1/companies/${realmId}/drift`, undefined, system.adminKey)).body.items as any[];
const listed = (query: string) =>
  system.api('GET', `/v1/syncs?${query}`, undefined, system.adminKey).then((r) => r.body.items as any[]);
const simRecord = (realmId: string, entity: string, id: string) =>
  `/_sim/companies/${realmId}/records/${entity}/${id}`;

/** A synced invoice, changed in QuickBooks by `change`, then a second version sent: the sync waits. */
async function waitingOnChange(change: (realmId: string, invoiceId: string) => Promise<unknown>) {
  const { realmId } = await system.newCompany();
  await subscribeWebhooks(system, realmId, verifier);
  const doc = invoiceDocument(realmId);
  const syncId = await enqueue(system, doc);
  const done = await waitForState(system, syncId, 'completed');
  const invoiceId = done.steps.invoice.records[0].qboId as string;
  await change(realmId, invoiceId);
  await eventually(
    () => drift(realmId),
    (i) => i.length === 1,
    20_000,
    'drift reported',
  );
  const reported = await page(`/admin/companies/${realmId}/drift`);
  const next = structuredClone(doc);
  next.invoice.version = 2;
  next.invoice.memo = 'Second version';
  await enqueue(system, next);
  await waitForState(system, syncId, 'needs_attention');
  return { realmId, doc, syncId, invoiceId, reported };
}

describe('admin page: records changed in QuickBooks', () => {
  it('lists a deleted invoice with what, when and its sync; its Re-create button makes exactly one new invoice', async () => {
    const { realmId, doc, syncId, invoiceId, reported } = await waitingOnChange((realm, id) =>
      system.sim('DELETE', simRecord(realm, 'Invoice', id)),
    );
    const company = await page(`/admin/companies/${realmId}`);
    assert.match(company.html, new RegExp(`href="/admin/companies/${realmId}/drift"`), 'linked');

    assert.equal(reported.status, 200);
    const row = new RegExp(`data-drift="Invoice:${doc.invoice.sourceId}"[\\s\\S]*?</tr>`).exec(
      reported.html,
    )?.[0];
    assert.ok(row, reported.html);
    assert.match(row, new RegExp(`QuickBooks id ${invoiceId}`));
    assert.match(row, /s-deleted/);
    assert.match(row, /was deleted in QuickBooks/);
    assert.match(row, /seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by webhook/);
    assert.match(row, new RegExp(`href="/admin/syncs/${encodeURIComponent(syncId)}"`));
    assert.doesNotMatch(row, /drift-decision/, 'no buttons while no sync waits on it');

    const waiting = await eventually(
      () => page(`/admin/companies/${realmId}/drift`),
      (p) => p.html.includes('drift-decision'),
      20_000,
      'the decision buttons',
    );
    for (const label of [
      'Re-create in QuickBooks',
      'Overwrite QuickBooks with the source',
      'Accept QuickBooks',
    ])
      assert.ok(waiting.html.includes(label), label);
    const action = `/admin/syncs/${encodeURIComponent(syncId)}/drift-decision`;
    assert.ok(waiting.html.includes(`action="${action.replace(/%/g, '%')}"`), 'posts to the sync');
    const csrf = csrfOf(waiting.html);
    const waitingListed = await eventually(
      () => listed(`realmId=${realmId}&pattern=changed_in_quickbooks`),
      (items) => items.some((i) => i.syncId === syncId),
      10_000,
      'listed by pattern',
    );
    assert.deepEqual(waitingListed.find((i) => i.syncId === syncId).changedInQuickbooks, ['Invoice']);

    const bad = await press(action, { choice: 'delete', step: 'invoice', sourceId: 'x' }, csrf);
    assert.equal(bad.status, 422);
    assert.match(bad.html, /choice/);

    const pressed = await press(
      action,
      { choice: 'recreate', step: 'invoice', sourceId: doc.invoice.sourceId },
      csrf,
    );
    assert.equal(pressed.status, 303);
    assert.match(pressed.location, new RegExp(`/admin/companies/${realmId}/drift\\?notice=Re-creating`));
    const done = await waitForState(system, syncId, 'completed');
    const live = (await qboRecords(system, realmId, 'Invoice')).filter((i) => i.status !== 'Deleted');
    assert.equal(live.length, 1, 'exactly one new invoice');
    assert.notEqual(live[0].Id, invoiceId);
    assert.equal(done.steps.invoice.records[0].qboId, live[0].Id);
    assert.deepEqual(await drift(realmId), [], 'settled');
    const after = await page(`/admin/companies/${realmId}/drift`);
    assert.match(after.html, /Nothing we synced was changed in QuickBooks/);

    const again = await press(
      action,
      { choice: 'recreate', step: 'invoice', sourceId: doc.invoice.sourceId },
      csrf,
    );
    assert.match(again.location, /only a paused or needs_attention sync/, 'a second press does nothing');

    // Found afterwards by the dedicated attribute, no longer by the pattern it waited on.
    await eventually(
      async () => ({
        changed: await listed(`realmId=${realmId}&changedInQuickbooks=true`),
        waiting: await listed(`realmId=${realmId}&pattern=changed_in_quickbooks`),
      }),
      (r) =>
        r.changed.some((i) => i.syncId === syncId && i.state === 'completed') &&
        !r.waiting.some((i) => i.syncId === syncId),
      10_000,
      'listed by ChangedInQuickBooks once completed',
    );
  });

  it("Accept QuickBooks' version keeps the voided invoice, creates nothing; a decision on another record is refused", async () => {
    const { realmId, doc, syncId, invoiceId } = await waitingOnChange((realm, id) =>
      system.sim('POST', `${simRecord(realm, 'Invoice', id)}/void`),
    );
    const waiting = await eventually(
      () => page(`/admin/companies/${realmId}/drift`),
      (p) => p.html.includes('drift-decision'),
      20_000,
      'the decision buttons',
    );
    assert.match(waiting.html, /s-voided/);
    const action = `/admin/syncs/${encodeURIComponent(syncId)}/drift-decision`;
    const csrf = csrfOf(waiting.html);

    const other = await press(action, { choice: 'accept', step: 'invoice', sourceId: 'inv-other' }, csrf);
    assert.equal(other.status, 303);
    assert.match(other.location, /a decision must name that step and sourceId/);
    assert.equal(
      (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body.state,
      'needs_attention',
    );

    const pressed = await press(
      action,
      { choice: 'accept', step: 'invoice', sourceId: doc.invoice.sourceId },
      csrf,
    );
    assert.match(pressed.location, /Accepting QuickBooks' version/);
    const done = await waitForState(system, syncId, 'completed');
    assert.equal(done.steps.invoice.records[0].action, 'manual');
    assert.equal(done.steps.invoice.records[0].qboId, invoiceId, 'linked to the voided invoice');
    const invoices = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoices.length, 1, 'nothing re-created');
    assert.deepEqual(await drift(realmId), [], 'settled');
  });
});
