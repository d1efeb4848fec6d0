/**
 * `npx tsx bench/reconcile.ts` (or `npm run bench -- reconcile`): reconciles one company of BENCH_CUSTOMERS
 * customers (2,000) with 5 invoices each (10,000) and 3 payments on most, through the real reconcile code,
 * the real QuickBooks client over HTTP and the simulator, against a database of its own. Six kinds of
 * mismatch are planted at known places; the run must find exactly them. Prints one JSON line of figures.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq as eqRealm } from 'drizzle-orm';
import { createDb } from '../db/client';
import { setUpDatabase } from '../db/migrate';
import { links, sourceDocuments } from '../db/schema';
import { createQboClient } from '../quickbooks/client';
import { qboLedger } from '../sync/qbo-ledger';
import { reconcileCompany } from '../sync/reconcile-company';
import { createCompany } from '../simulator/company-seed';
import { recomputeBalances } from '../simulator/entities/balances';
import { insertRecord } from '../simulator/entities/records';
import { createSimulator } from '../simulator/server';
import { createEmptyState } from '../simulator/state';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const INVOICES_PER_CUSTOMER = 5;
const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/qbo_sync_bench_reconcile';

/** The figures of one run; `exact` says whether the planted mismatches, and only they, were found. */
export async function measureReconcile(customers = CUSTOMERS) {
  const now = Date.now();
  // The bench's client has no budget (it measures calls, not pacing): lift the per-second limit.
  const company = createCompany({ ratePerSecond: 100_000 }, now);
  const realmId = company.realmId;
  const linkRows: (typeof links.$inferInsert)[] = [];
  const docRows: (typeof sourceDocuments.$inferInsert)[] = [];
  const planted = {
    not_synced: 0,
    amount_edited: 0,
    duplicate: 0,
    entered_in_quickbooks: 0,
    missing_in_quickbooks: 0,
  };
  const add = (entity: 'Customer' | 'Invoice' | 'Payment', data: Record<string, unknown>) =>
    insertRecord(company, entity, data, now);
  const link = (entityType: string, sourceId: string, qboId: string, parentSourceId?: string) =>
    linkRows.push({
      realmId,
      entityType,
      sourceId,
      qboId,
      status: 'linked',
      linkedBy: 'sync',
      sourceVersion: 1,
      parentSourceId,
    });

  for (let i = 0; i < customers; i++) {
    const at = i % 200; // which planted mismatch this customer carries, if any (at < 6)
    const customer = add('Customer', { DisplayName: `Customer ${i}`, Active: true }).data;
    link('Customer', `c-${i}`, customer.Id);
    for (let j = 0; j < INVOICES_PER_CUSTOMER; j++) {
      const invoiceSourceId = `inv-${i}-${j}`;
      const amount = 100 + j;
      const payments = j < 3 ? [{ sourceId: `pay-${i}-${j}`, txnDate: '2026-03-05', amount: 50 }] : [];
      const doc = {
        realmId,
        customer: { sourceId: `c-${i}`, displayName: `Customer ${i}` },
        invoice: { sourceId: invoiceSourceId, version: 1, txnDate: '2026-03-01' },
        lines: [
          {
            amount,
            quantity: 1,
            item: { sourceId: 'svc', name: 'Service', type: 'Service', unitPrice: amount },
          },
        ],
        payments,
      };
      if (at === 0 && j === 4) {
        planted.not_synced++; // the source sent it; its sync never got anywhere
        docRows.push({ realmId, invoiceSourceId, customerSourceId: `c-${i}`, version: 1, document: doc });
        continue;
      }
      const invoiceFields = (total: number) => ({
        CustomerRef: { value: customer.Id },
        TxnDate: '2026-03-01',
        DocNumber: invoiceSourceId,
        PrivateNote: `qbo-sync:${invoiceSourceId}`,
        Line: [
          {
            Amount: total,
            DetailType: 'SalesItemLineDetail',
            SalesItemLineDetail: { ItemRef: { value: '1' } },
          },
          { Amount: total, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
        ],
        TotalAmt: total,
      });
      const edited = at === 1 && j === 0;
      if (edited) planted.amount_edited++;
      const invoice = add('Invoice', invoiceFields(edited ? amount + 7 : amount)).data;
      link('Invoice', invoiceSourceId, invoice.Id);
      if (at === 2 && j === 1) {
        planted.duplicate++; // a retry that created the invoice twice
        add('Invoice', invoiceFields(amount));
      }
      let kept = payments;
      for (const p of payments) {
        const record = add('Payment', {
          CustomerRef: { value: customer.Id },
          TotalAmt: p.amount,
          TxnDate: p.txnDate,
          PrivateNote: `qbo-sync:${p.sourceId}`,
          Line: [{ Amount: p.amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
        });
        link('Payment', p.sourceId, record.data.Id, invoiceSourceId);
        if (at === 4 && j === 0) {
          planted.missing_in_quickbooks++;
          record.deleted = true;
        }
        if (at === 5 && j === 2) {
          planted.duplicate++; // the source dropped it (version 2) and the void was lost
          kept = [];
        }
      }
      const stored =
        kept === payments ? doc : { ...doc, invoice: { ...doc.invoice, version: 2 }, payments: kept };
      docRows.push({
        realmId,
        invoiceSourceId,
        customerSourceId: `c-${i}`,
        version: stored.invoice.version,
        document: stored,
      });
    }
    if (at === 3) {
      planted.entered_in_quickbooks++; // a person or another integration recorded a payment by hand
      add('Payment', { CustomerRef: { value: customer.Id }, TotalAmt: 25, TxnDate: '2026-03-09' });
    }
  }
  recomputeBalances(company, now);

  const dir = mkdtempSync(path.join(tmpdir(), 'qbo-sync-bench-'));
  const stateFile = path.join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ ...createEmptyState(), companies: { [realmId]: company } }));
  const simulator = await createSimulator({ stateFile }).start(0);
  await setUpDatabase(databaseUrl);
  const { db, close } = createDb(databaseUrl, { max: 4 });
  try {
    for (let k = 0; k < linkRows.length; k += 2000)
      await db.insert(links).values(linkRows.slice(k, k + 2000));
    for (let k = 0; k < docRows.length; k += 1000)
      await db.insert(sourceDocuments).values(docRows.slice(k, k + 1000));
    const tokens = await (
      await fetch(`${simulator.url}/_sim/companies/${realmId}/tokens`, { method: 'POST' })
    ).json();
    const qbo = createQboClient({
      baseUrl: simulator.url,
      minorVersion: 75,
      timeoutMs: 60_000,
      tokens: {
        accessToken: async () => tokens.access_token,
        refreshAfterRejection: async () => tokens.access_token,
      },
      budget: { acquire: async () => async () => {}, backOff: async () => {} },
    });
    const started = performance.now();
    const summary = await reconcileCompany(
      { db, qbo, ledger: qboLedger(qbo), config: { throttleBackoffMs: 60_000 } },
      realmId,
    );
    const ms = Math.round(performance.now() - started);
    const counters = await (await fetch(`${simulator.url}/_sim/companies/${realmId}/counters`)).json();
    const records = customers + summary.totals.invoices + summary.totals.payments;
    const found = summary.totals.byKind;
    const exact =
      found.not_synced === planted.not_synced &&
      found.amount_edited === planted.amount_edited &&
      found.duplicate === planted.duplicate &&
      found.entered_in_quickbooks === planted.entered_in_quickbooks &&
      found.missing_in_quickbooks === planted.missing_in_quickbooks &&
      found.unexplained === 0;
    return {
      customers,
      invoices: summary.totals.invoices,
      payments: summary.totals.payments,
      qboCalls: counters.total,
      qboCallsCounted: summary.qboCalls,
      callsPerRecordPercent: Number(((100 * counters.total) / records).toFixed(3)),
      ms,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      planted,
      found,
      exact,
    };
  } finally {
    await db.delete(links).where(eqRealm(links.realmId, realmId));
    await db.delete(sourceDocuments).where(eqRealm(sourceDocuments.realmId, realmId));
    await close();
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  measureReconcile().then(
    (figures) => {
      console.log(JSON.stringify(figures));
      if (!figures.exact) process.exitCode = 1;
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
