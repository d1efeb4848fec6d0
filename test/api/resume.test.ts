import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { eventually } from '../support/http';
import { enqueue, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * "The closed period was reopened" (and "the company was reconnected"): the API route and the admin page's
 * button are one handler over one table (api/services/resume-company.ts). Each must find the company's
 * paused sync and resume it to completion. A closed period is used because, unlike a reconnect, reopening
 * it in QuickBooks resumes nothing by itself.
 */
describe("resume: the API route and the admin page button both resume a company's paused syncs", () => {
  let system: System;
  before(async () => {
    // A paused sync also resumes itself at its next self-check (clock-aligned ticks): pushed out past the
    // test, so what resumes it here is the route or the button under test.
    system = await startSystem({ env: { SYNC_PAUSE_CHECK_MS: String(60 * 60_000) } });
  });
  after(async () => {
    await system?.stop();
  });

  /** A company with one sync paused on its closed books, then reopened in QuickBooks. */
  async function pausedThenReopened() {
    const { realmId } = await system.newCompany();
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: '2026-11-15' });
    const syncId = await enqueue(system, invoiceDocument(realmId));
    const paused = await waitForState(system, syncId, 'paused');
    assert.equal(paused.pauseReason, 'closed_period');
    await system.sim('PATCH', `/_sim/companies/${realmId}`, { bookCloseDate: null });
    return { realmId, syncId };
  }

  it('POST /v1/connections/{realmId}/period-reopened', async () => {
    const { realmId, syncId } = await pausedThenReopened();
    // The route finds paused syncs through Temporal's visibility store, which lags the workflow a little.
    const res = await eventually(
      () => system.api('POST', `/v1/connections/${realmId}/period-reopened`, {}, system.adminKey),
      (r) => r.status !== 200 || r.body.signalled !== 0,
      30_000,
      'the paused sync is found',
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { realmId, signalled: 1, finished: 0, failed: 0 });
    await waitForState(system, syncId, 'completed');
  });

  it("the admin page's Resume: period reopened button", async () => {
    const { realmId, syncId } = await pausedThenReopened();
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: system.apiUrl },
      body: new URLSearchParams(fields).toString(),
    });
    const login = await fetch(`${system.apiUrl}/admin/login`, form({ key: system.adminKey }));
    assert.equal(login.status, 303, await login.text());
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // The page lists paused syncs from Temporal's visibility store, which lags the workflow a little.
    const html = await eventually(
      async () => {
        const page = await fetch(`${system.apiUrl}/admin/companies/${realmId}`, { headers: { cookie } });
        return page.status === 200 ? page.text() : `${page.status}`;
      },
      (text) => text.includes(`/admin/companies/${realmId}/period-reopened`),
      30_000,
      'the company page offers Resume: period reopened',
    );
    const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
    assert.ok(csrf, 'the page carries a CSRF token');

    const pressed = await fetch(`${system.apiUrl}/admin/companies/${realmId}/period-reopened`, {
      ...form({ csrf }),
      headers: { ...form({}).headers, cookie },
    });
    assert.equal(pressed.status, 303, await pressed.text());
    const location = new URL(pressed.headers.get('location')!, system.apiUrl);
    assert.equal(location.pathname, `/admin/companies/${realmId}`);
    assert.equal(location.searchParams.get('notice'), 'Period reopened: 1 sync(s) signalled.');
    await waitForState(system, syncId, 'completed');
  });
});
