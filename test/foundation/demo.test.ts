import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSystem, type System } from '../support/system';

/**
 * `npm run demo` at a small size against a worker and API of the test's own: it must end with every
 * sync settled, the seed patterns showing up as the states a person would see, and the counts it prints
 * equal to what `GET /v1/syncs` reports for its batch.
 */
const root = path.join(__dirname, '..', '..');
const realmId = '9341453000000555'; // not the default demo realm, which the "Try it" test uses

describe('npm run demo: a day of work through the public API', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(() => system?.stop());

  it('settles 8 invoices — a name collision, an inactive item and a closed period among them — and prints counts that match GET /v1/syncs', async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'scripts', 'demo.ts'), '--invoices', '8', '--timeout', '150'],
        {
          cwd: root,
          timeout: 180_000,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            API_PORT: new URL(system.apiUrl).port,
            SIMULATOR_PORT: new URL(system.simUrl).port,
            SOURCE_API_KEYS: system.sourceKey,
            ADMIN_API_KEYS: system.adminKey,
            DEMO_REALM_ID: realmId,
          },
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
    assert.match(output, /\[#{30}\] 8\/8 settled/, output);
    const printed = JSON.parse(/^COUNTS (.*)$/m.exec(output)?.[1] ?? 'null');
    assert.deepEqual(
      { completed: printed.completed, needs_attention: printed.needs_attention, paused: printed.paused },
      { completed: 5, needs_attention: 2, paused: 1 },
      output,
    );

    const batchId = /batchId=([0-9a-f-]{36})/.exec(output)?.[1];
    const listed = await system.api('GET', `/v1/syncs?batchId=${batchId}&limit=200`);
    const counts: Record<string, number> = Object.fromEntries(Object.keys(printed).map((s) => [s, 0]));
    for (const item of listed.body.items) counts[item.state] += 1;
    assert.deepEqual(counts, printed);

    const waiting = await system.api('GET', `/v1/syncs?batchId=${batchId}&state=needs_attention`);
    const patterns = waiting.body.items.map((s: any) => s.errorPattern).sort();
    assert.deepEqual(patterns, ['duplicate_name', 'inactive_or_missing_reference']);

    // The diagnostics page shows the same counts for the company (the demo's are its only syncs).
    const login = await fetch(`${system.apiUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: system.apiUrl },
      body: `key=${encodeURIComponent(system.adminKey)}`,
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    assert.ok(cookie, `logged in: ${login.status}`);
    const overview = await (await fetch(`${system.apiUrl}/admin`, { headers: { cookie } })).text();
    const card = overview.slice(overview.indexOf(`/admin/companies/${realmId}"`));
    for (const [state, n] of Object.entries(printed).filter(([, n]) => n)) {
      const shown = new RegExp(`data-count="${state}"><span[^>]*>[^<]*</span> ${n}<`);
      assert.match(card.slice(0, 3000), shown, `the page shows ${state} ${n}`);
    }

    const requests = await system.sim('GET', `/_sim/companies/${realmId}/counters`);
    assert.ok(JSON.stringify(requests.body).includes('429'), `a throttling burst: ${requests.text}`);
  });
});
