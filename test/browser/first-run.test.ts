import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { invoiceDocument, unique } from '../support/documents';
import { eventually } from '../support/http';
import { qboRecords } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * A bookkeeper's day on the diagnostics pages, in Chromium: connect a company through the button and
 * the consent page, link a name collision from suggestions, change a policy and retry, re-date a
 * closed-period invoice, see a payment waiting on its invoice, follow a batch to the end.
 * Screenshots at 1280 and 375 px go to .build/screenshots/first-run-*.png.
 */
const root = path.join(__dirname, '..', '..');
const screenshots = path.join(root, '.build', 'screenshots');
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];

describe('diagnostics pages: the first ten minutes of a bookkeeper, in Chromium', () => {
  let system: System;
  let context: BrowserContext;
  let userDataDir: string;

  before(async () => {
    execFileSync('bash', [path.join(root, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
    system = await startSystem();
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'qbo-sync-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${system.apiUrl}/admin/login`);
    await page.fill('#key', system.adminKey);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin$/);
    await page.close();
  });
  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await system?.stop();
  });

  /** Both widths, and nothing wider than the phone. */
  async function shoot(page: Page, name: string) {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, `first-run-${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(screenshots, `first-run-${name}-375.png`), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(width <= 375, `${name}: ${width} px wide at 375`);
  }

  const syncState = (syncId: string) =>
    system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`).then((r) => r.body);
  const waitFor = (syncId: string, state: string) =>
    eventually(
      () => syncState(syncId),
      (s) => s?.state === state,
      60_000,
      `${syncId} ${state}`,
    );
  async function enqueue(doc: ReturnType<typeof invoiceDocument>): Promise<string> {
    const res = await system.api('POST', '/v1/syncs', doc);
    assert.equal(res.status, 202, res.text);
    return res.body.syncId;
  }
  const open = async (url: string) => {
    const page = await context.newPage();
    await page.goto(`${system.apiUrl}${url}`);
    return page;
  };

  it('connects a company through the button and the consent page, and lands back on /admin with a notice', async () => {
    const name = `Corner Shop ${unique()}`;
    // Two companies at Intuit, so the consent page asks which one (with one it goes straight through).
    await system.sim('POST', '/_sim/companies', { name: `Other ${unique()}` });
    const created = await system.sim('POST', '/_sim/companies', { name });
    const page = await open('/admin');
    await page.click('button:has-text("Connect a company")');
    await page.waitForURL(/\/connect\/oauth2/);
    assert.match(await page.locator('h1').innerText(), /Choose a company/);
    await page.click(`a:has-text("${name}")`);
    await page.waitForURL(/\/admin\?notice=/);
    assert.match(await page.locator('[role=status]').innerText(), new RegExp(`Connected ${name}`));
    assert.equal(await page.locator(`a[href="/admin/companies/${created.body.realmId}"]`).count(), 1);
    await shoot(page, 'connected');
    await page.goto(`${system.apiUrl}/admin/companies/${created.body.realmId}/health`);
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-verdict'), 'ready');
    await system.sim('PATCH', `/_sim/companies/${created.body.realmId}`, { bookCloseDate: '2026-09-30' });
    await page.reload();
    assert.match(await page.locator('[data-verdict]').innerText(), /closed through 2026-09-30/);
    await shoot(page, 'health');
    await page.close();
  });

  it('fixes a name collision by linking the customer from suggestions', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const other = await system.sim('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: doc.customer.displayName,
      PrimaryEmailAddr: { Address: 'someone-else@example.org' },
    });
    const syncId = await enqueue(doc);
    await waitFor(syncId, 'needs_attention');
    const page = await open(`/admin/companies/${realmId}/mappings`);
    const card = page.locator(`[data-suggestion="${doc.customer.sourceId}"]`);
    assert.match(await card.innerText(), new RegExp(doc.customer.displayName));
    await shoot(page, 'suggestions');
    await card.locator(`button[data-candidate="${other.body.Id}"]`).click();
    await page.waitForURL(/notice=/);
    const done = await waitFor(syncId, 'completed');
    assert.equal(done.steps.customer.records.at(-1).qboId, other.body.Id);
    assert.equal((await qboRecords(system, realmId, 'Customer')).length, 1, 'no second customer');
    await page.close();
  });

  it('changes a policy (reactivate inactive items) and retries from the sync page', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    const account = (await qboRecords(system, realmId, 'Account')).find((a) => a.Name === 'Services');
    const item = await system.sim('POST', `/_sim/companies/${realmId}/records/Item`, {
      Name: doc.lines[0].item.name,
      Type: 'Service',
      Active: false,
      IncomeAccountRef: { value: account.Id },
    });
    const syncId = await enqueue(doc);
    const stuck = await waitFor(syncId, 'needs_attention');
    assert.equal(stuck.lastError.pattern, 'inactive_or_missing_reference');

    const page = await open(`/admin/companies/${realmId}/mappings`);
    await page.selectOption('#policy-onInactiveReference', 'reactivate');
    await page.click('button:has-text("Save policies")');
    await page.waitForURL(/notice=/);
    assert.match(await page.locator('[role=status]').innerText(), /Policies saved/);
    assert.equal(await page.locator('#policy-onInactiveReference').inputValue(), 'reactivate');
    await page.goto(`${system.apiUrl}/admin/syncs/${encodeURIComponent(syncId)}`);
    assert.match(await page.locator('[data-error-pattern]').innerText(), /intuit_tid/);
    await shoot(page, 'sync-needs-attention');
    await page.click('#actions button:has-text("Retry")');
    await page.waitForURL(/notice=/);
    await waitFor(syncId, 'completed');
    await page.goto(`${system.apiUrl}/admin/syncs/${encodeURIComponent(syncId)}`);
    const items = await qboRecords(system, realmId, 'Item');
    assert.equal(items.find((i) => i.Id === item.body.Id)?.Active, true, 'reactivated, not duplicated');
    assert.ok(
      await page.locator('a[href*="/app/invoice?txnId="]').count(),
      `a link into QuickBooks: ${await page.locator('main').innerHTML()}`,
    );
    await page.close();
  });

  it('re-dates a closed-period invoice, and shows a payment waiting on its invoice', async () => {
    const { realmId } = await system.newCompany({ bookCloseDate: '2026-11-30' });
    const redated = invoiceDocument(realmId);
    const withPayment = invoiceDocument(realmId, {
      payments: [{ sourceId: `pay-${unique()}`, txnDate: '2026-12-02', amount: 100 }],
    });
    const redatedId = await enqueue(redated);
    const paymentId = await enqueue(withPayment);
    await waitFor(redatedId, 'paused');
    await waitFor(paymentId, 'paused');

    const payments = await open(`/admin/companies/${realmId}/payments`);
    const waiting = payments.locator(`[data-payment-sync="${paymentId}"]`);
    const text = await waiting.innerText();
    assert.match(text, new RegExp(`wait on invoice ${withPayment.invoice.sourceId}`));
    assert.match(text, /paused \(closed_period\)/);
    await shoot(payments, 'payments-waiting');
    await payments.close();

    const page = await open(`/admin/syncs/${encodeURIComponent(redatedId)}`);
    await page.fill('#redate-date', '2026-12-01');
    await page.click('button:has-text("Re-date and continue")');
    await page.waitForURL(/notice=/);
    await waitFor(redatedId, 'completed');
    const invoices = await qboRecords(system, realmId, 'Invoice');
    assert.equal(invoices.find((i) => i.DocNumber === redated.invoice.docNumber)?.TxnDate, '2026-12-01');
    await page.reload();
    assert.match(await page.locator('body').innerText(), /re-dated the invoice to 2026-12-01/);

    // Search finds it by the source invoice id and by the document number, from the search box.
    for (const q of [redated.invoice.sourceId, redated.invoice.docNumber!]) {
      await page.goto(`${system.apiUrl}/admin`);
      await page.fill('#search-q', q);
      await page.click('form[role=search] button');
      await page.waitForURL(new RegExp(`/admin/syncs/${encodeURIComponent(redatedId)}`));
    }
    await page.close();
  });

  it("follows a batch's progress bar to the end", async () => {
    const { realmId } = await system.newCompany();
    const documents = Array.from({ length: 4 }, () => invoiceDocument(realmId));
    const sent = await system.api('POST', '/v1/syncs/batch', { documents });
    assert.equal(sent.status, 202, sent.text);
    const page = await open(`/admin/batches/${sent.body.batchId}`);
    await eventually(
      async () => {
        await page.reload();
        return page.locator('[data-batch-status]').innerText();
      },
      (t) => t.startsWith('Finished'),
      90_000,
      'the batch to finish',
    );
    assert.match(await page.locator('[data-batch-status]').innerText(), /4 of 4 settled/);
    assert.equal(await page.locator('[role=progressbar]').getAttribute('aria-valuenow'), '4');
    assert.match(await page.locator('[data-count="completed"]').innerText(), /4/);
    await shoot(page, 'batch');
    await page.close();
  });
});
