import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { invoiceDocument } from '../support/documents';
import { eventually, http } from '../support/http';
import { startSystem, type System } from '../support/system';

const root = path.join(__dirname, '..', '..');
const screenshots = path.join(root, '.build', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('diagnostics page: an admin sees why a sync is stuck, fixes it and resumes it, in Chromium', () => {
  let system: System;
  let context: BrowserContext;
  let userDataDir: string;

  before(async () => {
    // Installs Debian's chromium when missing; throws (failing the test) when it cannot.
    execFileSync('bash', [path.join(root, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
    system = await startSystem();
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'qbo-sync-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
    });
  });
  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await system?.stop();
  });

  /** Reloads until `selector` is on the page (visibility in Temporal trails the workflow by a moment). */
  const reloadUntil = (page: Page, selector: string, label: string) =>
    eventually(
      async () => {
        await page.reload();
        return page.locator(selector).count();
      },
      (n) => n > 0,
      60_000,
      label,
    );

  it('logs in with the admin key, shows the duplicate-name failure with its hint, and completes it after a fix and Retry', async () => {
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    // Another party in QuickBooks already uses the customer's display name (a different email).
    const other = await system.sim('POST', `/_sim/companies/${realmId}/records/Customer`, {
      DisplayName: doc.customer.displayName,
      PrimaryEmailAddr: { Address: 'someone-else@example.org' },
    });
    assert.equal(other.status, 201, other.text);
    const enqueued = await system.api('POST', '/v1/syncs', doc);
    assert.equal(enqueued.status, 202, enqueued.text);
    const syncId: string = enqueued.body.syncId;
    await eventually(
      async () => (await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`)).body,
      (s) => s?.state === 'needs_attention',
      60_000,
      'the sync to need attention',
    );

    const page = await context.newPage();
    await page.goto(`${system.apiUrl}/admin`);
    assert.ok(
      page.url().endsWith('/admin/login'),
      `without a session the page asks to log in (at ${page.url()})`,
    );
    await page.fill('#key', system.sourceKey);
    await page.click('button[type=submit]');
    // The source key gets the answer an unknown key gets: the page does not say which keys exist.
    assert.match(await page.locator('[role=alert]').innerText(), /does not open the admin page/);
    await page.fill('#key', system.adminKey);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin$/);

    const [cookie] = (await context.cookies()).filter((c) => c.name === 'qbo_admin_session');
    assert.ok(cookie, 'a session cookie was set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.ok(!cookie.value.includes(system.adminKey), 'the cookie does not carry the key');

    await page.click(`a[href="/admin/companies/${realmId}"]`);
    await reloadUntil(page, 'section[data-pattern="duplicate_name"]', 'the duplicate_name group on the page');
    const group = page.locator('section[data-pattern="duplicate_name"]');
    const text = await group.innerText();
    assert.match(text, /duplicate name/);
    assert.match(text, /already/i, 'the hint says QuickBooks already has the name');
    assert.match(text, /QuickBooks said:/);
    assert.match(text, /intuit_tid: \S+/);
    const card = group.locator(`[data-sync-id="${syncId}"]`);
    assert.equal(await card.count(), 1);
    assert.ok(
      (await card.locator(`a[href*="/workflows/"]`).getAttribute('href'))?.includes(
        encodeURIComponent(syncId),
      ),
    );

    mkdirSync(screenshots, { recursive: true });
    const desktop = path.join(screenshots, 'diagnostics-desktop-1280.png');
    const phone = path.join(screenshots, 'diagnostics-phone-375.png');
    await page.screenshot({ path: desktop, fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: phone, fullPage: true });
    assert.ok(
      (await page.evaluate(() => document.documentElement.scrollWidth)) <= 375,
      'nothing is wider than a 375 px phone',
    );
    for (const file of [desktop, phone]) assert.ok(statSync(file).size > 0, `${file} is not empty`);
    await page.setViewportSize({ width: 1280, height: 900 });

    // A form posted without the session's CSRF token is refused, even with the cookie.
    const forged = await http(
      'POST',
      `${system.apiUrl}/admin/syncs/${encodeURIComponent(syncId)}/retry`,
      'csrf=forged',
      {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${cookie.name}=${cookie.value}`,
      },
    );
    assert.equal(forged.status, 403, forged.text);

    // The fix: the other party is renamed in QuickBooks; then Retry on the page.
    const renamed = await system.sim(
      'PATCH',
      `/_sim/companies/${realmId}/records/Customer/${other.body.Id}`,
      {
        DisplayName: `${doc.customer.displayName} (old)`,
      },
    );
    assert.equal(renamed.status, 200, renamed.text);
    await card.locator('button', { hasText: 'Retry' }).click();
    await page.waitForURL(/notice=/);
    assert.match(await page.locator('[role=status]').innerText(), /Retrying invoice/);

    await reloadUntil(page, `tr[data-sync-id="${syncId}"] .s-completed`, 'the sync to show completed');
    assert.equal(
      await page.locator('section[data-pattern="duplicate_name"]').count(),
      0,
      'nothing waits any more',
    );
    const done = await system.api('GET', `/v1/syncs/${encodeURIComponent(syncId)}`);
    assert.equal(done.body.state, 'completed');
    assert.equal(done.body.steps.customer.records.at(-1).action, 'created');

    await page.click('text=Log out');
    await page.waitForURL(/\/admin\/login$/);
    await page.goto(`${system.apiUrl}/admin/companies/${realmId}`);
    assert.ok(page.url().endsWith('/admin/login'), 'logged out: the page asks to log in again');
  });
});
