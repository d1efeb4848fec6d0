import { loadConfigOrExit } from '../config';
import { syncStates, type SyncState } from '../workflows/contract';
import { ensureDemoCompany } from './lib/demo-company';
import { demoDay, INACTIVE_ITEM } from './lib/demo-day';

/**
 * `npm run demo [-- --invoices 50]`: a day of work for the demo company, sent through the public API to
 * a running `npm start` — invoices with payments, a name collision, an inactive item, a closed period
 * and a burst of throttling (arranged through the simulator's /_sim surface). Shows a live progress bar
 * until every sync has settled, then the counts per state as `GET /v1/syncs` reports them.
 */
const config = loadConfigOrExit();
const api = `http://127.0.0.1:${config.API_PORT}`;
const sim = `http://127.0.0.1:${config.SIMULATOR_PORT}`;
const sourceKey = config.sourceApiKeys[0];
const adminKey = config.adminApiKeys[0];
const realmId = config.DEMO_REALM_ID;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 500) {
    console.error(`demo: --${name} must be a whole number from 1 to 500`);
    process.exit(2);
  }
  return value;
}

async function call(method: string, url: string, body?: unknown, key?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

type Counts = Record<SyncState, number>;
const zero = (): Counts => Object.fromEntries(syncStates.map((s) => [s, 0])) as Counts;
const settledStates: SyncState[] = ['completed', 'needs_attention', 'paused', 'failed'];
const line = (counts: Counts) =>
  syncStates
    .filter((s) => counts[s])
    .map((s) => `${s.replace('_', ' ')} ${counts[s]}`)
    .join(' · ');

function bar(settled: number, total: number, counts: Counts): string {
  const width = 30;
  const full = Math.round((settled / total) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${settled}/${total} settled  ${line(counts)}`;
}

/** Counts per state of the batch's syncs, read page by page from `GET /v1/syncs`. */
async function listedCounts(batchId: string): Promise<Counts> {
  const counts = zero();
  let before: string | null = null;
  do {
    const query = new URLSearchParams({ batchId, limit: '200', ...(before ? { before } : {}) });
    const page = await call('GET', `${api}/v1/syncs?${query}`, undefined, sourceKey);
    for (const item of page.items) counts[item.state as SyncState] += 1;
    before = page.nextBefore;
  } while (before);
  return counts;
}

async function main() {
  if (config.NODE_ENV === 'production') throw new Error('the demo never runs with NODE_ENV=production');
  const count = option('invoices', 50);
  const timeoutMs = option('timeout', 300) * 1000;
  const company = await ensureDemoCompany({ simUrl: sim, apiUrl: api, adminKey, realmId });
  const day = demoDay(realmId, count);

  // The patterns, arranged in the simulated QuickBooks as a bookkeeper would have left it.
  const { records } = await call('GET', `${sim}/_sim/companies/${realmId}/records/Item`);
  const inactive = records.find((r: any) => r.Name === INACTIVE_ITEM);
  if (inactive)
    await call('PATCH', `${sim}/_sim/companies/${realmId}/records/Item/${inactive.Id}`, { Active: false });
  await call('PATCH', `${sim}/_sim/companies/${realmId}`, { bookCloseDate: day.bookCloseDate });
  await call('POST', `${sim}/_sim/companies/${realmId}/faults`, { kind: 'throttle', times: 4 });

  console.log(`Sending ${count} invoices for ${company.companyName} (realm ${realmId}):`);
  for (const kind of ['name_collision', 'inactive_item', 'closed_period'] as const) {
    const at = day.cases.indexOf(kind);
    if (at >= 0) console.log(`  ${day.documents[at].invoice.sourceId}: ${kind.replace('_', ' ')}`);
  }
  console.log(
    `  and a burst of 429 throttling: qbo-sync holds the company's requests for ${Math.round(config.QBO_THROTTLE_BACKOFF_MS / 1000)} s (QBO_THROTTLE_BACKOFF_MS), probes with one request, then goes on by itself`,
  );
  const sent = await call('POST', `${api}/v1/syncs/batch`, { documents: day.documents }, sourceKey);
  if (sent.rejected) console.log(`  ${sent.rejected} document(s) were rejected by validation`);

  const interactive = process.stdout.isTTY;
  const deadline = Date.now() + timeoutMs;
  let status: any;
  let lastPrinted = 0;
  let lastText = '';
  for (;;) {
    status = await call('GET', `${api}/v1/syncs/batch/${sent.batchId}`, undefined, sourceKey);
    const settled = status.rejected + settledStates.reduce((n, s) => n + status.counts[s], 0);
    const text = bar(settled, status.total, status.counts);
    if (interactive) process.stdout.write(`\r${text}\x1b[K`);
    else if (text !== lastText || Date.now() - lastPrinted > 15_000) {
      // Without a terminal: a line when something changed, or every 15 s to show it is alive.
      console.log(text);
      lastPrinted = Date.now();
      lastText = text;
    }
    if (settled === status.total) break;
    if (Date.now() > deadline) throw new Error(`not every sync settled within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  if (interactive) process.stdout.write('\n');

  // Visibility trails the workflows by a moment: read the list until it agrees with the batch.
  let listed = await listedCounts(sent.batchId);
  for (let i = 0; i < 20 && syncStates.some((s) => listed[s] !== status.counts[s]); i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = await call('GET', `${api}/v1/syncs/batch/${sent.batchId}`, undefined, sourceKey);
    listed = await listedCounts(sent.batchId);
  }
  const agree = syncStates.every((s) => listed[s] === status.counts[s]);
  console.log(
    [
      '',
      `Done. GET /v1/syncs?batchId=${sent.batchId} reports: ${line(listed)}`,
      agree ? '' : `  (the batch status reports ${line(status.counts)})`,
      'Where to look:',
      `  Diagnostics  ${config.API_PUBLIC_URL}/admin/companies/${realmId}  (log in with the admin key)`,
      `  Temporal UI  ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`,
      `  This batch   ${config.API_PUBLIC_URL}/admin/batches/${sent.batchId}  (API: /v1/syncs/batch/${sent.batchId})`,
      'The name collision and the inactive item need attention (link, reactivate or retry); the closed',
      `period invoice is paused until the books reopen (PATCH ${sim}/_sim/companies/${realmId}`,
      `with {"bookCloseDate":null}, then POST /v1/connections/${realmId}/period-reopened).`,
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
  console.log(`COUNTS ${JSON.stringify(listed)}`);
  process.exit(agree ? 0 : 1);
}

main().catch((err) => {
  console.error(`\ndemo: ${(err as Error).message}`);
  process.exit(1);
});
