import { Client, Connection } from '@temporalio/client';
import { readdirSync, readFileSync } from 'node:fs';
import type { SyncDocument } from '../workflows/contract';
import { invoiceDocument, unique } from '../test/support/documents';
import type { System } from '../test/support/system';

/** One figure of the table: what, the number, and how it was measured. */
export interface Figure {
  figure: string;
  value: string;
  how: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Temporal client on the bench's dev server. */
export async function temporalClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Counts syncs with Temporal's visibility (`client.workflow.count`). */
export async function countSyncs(client: Client, realmId: string, extra = ''): Promise<number> {
  return (
    await client.workflow.count(
      `WorkflowType = 'syncInvoice' AND RealmId = '${realmId}'${extra ? ` AND ${extra}` : ''}`,
    )
  ).count;
}

/** Waits until `read` reaches `target`, printing progress; returns elapsed ms, or null at the deadline. */
export async function waitCount(
  label: string,
  read: () => Promise<number>,
  target: number,
  timeoutMs: number,
): Promise<number | null> {
  const started = Date.now();
  let last = -1;
  while (Date.now() - started < timeoutMs) {
    const n = await read().catch(() => last);
    if (n !== last && (Date.now() - started) % 10 < 10)
      process.stdout.write(
        `\r  ${label}: ${n}/${target} after ${((Date.now() - started) / 1000).toFixed(0)} s   `,
      );
    last = n;
    if (n >= target) {
      process.stdout.write('\n');
      return Date.now() - started;
    }
    await sleep(1_000);
  }
  process.stdout.write('\n');
  return null;
}

/** A document whose customer and items are the same as `base`'s (already synced), with its own invoice. */
export function steadyDocument(base: SyncDocument, payments = 0): SyncDocument {
  const tag = unique();
  return {
    ...base,
    invoice: { ...base.invoice, sourceId: `inv-${tag}`, docNumber: `INV-${tag}` },
    payments: Array.from({ length: payments }, (_, i) => ({
      sourceId: `pay-${tag}-${i}`,
      txnDate: '2026-11-03',
      amount: 10,
    })),
  };
}

/** Syncs one document so its customer and items are linked; returns it as the template for steady-state backlogs. */
export async function warmCompany(system: System, realmId: string, client: Client): Promise<SyncDocument> {
  const doc = invoiceDocument(realmId);
  const res = await system.api('POST', '/v1/syncs', doc);
  if (res.status !== 202) throw new Error(`warm-up refused: ${res.text}`);
  const done = await waitCount(
    `warm-up ${realmId}`,
    () => countSyncs(client, realmId, `ExecutionStatus = 'Completed'`),
    1,
    120_000,
  );
  if (done === null) throw new Error(`warm-up sync for ${realmId} did not complete`);
  return doc;
}

/** Enqueues documents through POST /v1/syncs/batch, 500 at a time; returns the sync ids. */
export async function enqueueBatches(system: System, docs: SyncDocument[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < docs.length; i += 500) {
    const res = await system.api('POST', '/v1/syncs/batch', { documents: docs.slice(i, i + 500) });
    if (res.status !== 202 || res.body.rejected)
      throw new Error(`batch refused: ${res.status} ${res.text.slice(0, 500)}`);
    ids.push(...res.body.results.map((r: any) => r.syncId));
  }
  return ids;
}

/** The pid of this system's worker process (found through /proc by its task queue). */
export function workerPid(system: System): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('worker/main.ts')) continue;
      if (
        readFileSync(`/proc/${entry}/environ`, 'utf8').includes(`TEMPORAL_TASK_QUEUE=${system.taskQueue}\0`)
      )
        return Number(entry);
    } catch {
      // the process ended, or is not ours
    }
  }
  return null;
}

/** VmHWM (peak resident set) of a process, in MB. */
export function peakRssMb(pid: number): number | null {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}
