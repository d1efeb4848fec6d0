import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';
import { createRealmBudget } from '../../connections/realm-budget';
import { createQboClient } from '../../quickbooks/client';
import { QboFault } from '../../quickbooks/faults';

export interface ThrottledDrainOptions {
  simulatorUrl: string;
  sql: Sql;
  /** What the simulated company admits per sliding minute (QuickBooks' own limit for it). */
  companyPerMinute: number;
  invoices: number;
  /** The budget's hold after a 429 that names no wait, and its longest; also the retry delay of a throttled sync. */
  firstHoldMs: number;
  maxHoldMs: number;
}

export interface ThrottledDrainResult {
  realmId: string;
  /** From the first request sent to the last invoice created. */
  ms: number;
  /** The fastest the company allows: its first minute's requests go at once, every later `perMinute` a minute after. */
  floorMs: number;
  throttled: number;
  /** Invoices in the simulated company with each DocNumber: every one should be 1. */
  copies: number[];
}

/**
 * A company that admits fewer requests a minute than our budget thinks (another app shares its limit) drains
 * a backlog of invoices: every invoice is one create through the real QuickBooks client and the shared budget
 * in Postgres, all at once, each retried after a throttle as its activity would be (after QuickBooks' wait,
 * else the first hold). Reports the time against the floor the company's limit sets, and the 429s.
 */
export async function drainThrottledCompany(options: ThrottledDrainOptions): Promise<ThrottledDrainResult> {
  const sim = options.simulatorUrl.replace(/\/+$/, '');
  const created = await fetch(`${sim}/_sim/companies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ratePerMinute: options.companyPerMinute }),
  });
  const company = (await created.json()) as { realmId: string; tokens: { access_token: string } };
  const { realmId } = company;
  const customer = await fetch(`${sim}/_sim/companies/${realmId}/records/Customer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ DisplayName: 'Month-end customer' }),
  });
  const customerId = ((await customer.json()) as { Id: string }).Id;
  const budget = createRealmBudget({
    sql: options.sql,
    perMinute: 490,
    maxInFlight: 10,
    firstHoldMs: options.firstHoldMs,
    maxHoldMs: options.maxHoldMs,
  });
  const qbo = createQboClient({
    baseUrl: sim,
    minorVersion: 75,
    timeoutMs: 10_000,
    budget,
    tokens: {
      accessToken: async () => company.tokens.access_token,
      refreshAfterRejection: async (_r, t) => t,
    },
  });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.invoices }, async (_, i) => {
      const body = {
        DocNumber: `ME-${i}`,
        CustomerRef: { value: customerId },
        Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: {} }],
      };
      for (;;) {
        try {
          return await qbo.create(realmId, 'Invoice', body, { requestId: `drain-${realmId}-${i}` });
        } catch (err) {
          if (!(err instanceof QboFault) || err.fault.pattern !== 'throttled') throw err;
          await sleep(err.fault.retryAfterMs ?? options.firstHoldMs);
        }
      }
    }),
  );
  const ms = Date.now() - started;
  const counters = (await (await fetch(`${sim}/_sim/companies/${realmId}/counters`)).json()) as {
    byStatus: Record<string, number>;
  };
  const records = (await (await fetch(`${sim}/_sim/companies/${realmId}/records/Invoice`)).json()) as {
    records: { DocNumber: string }[];
  };
  const copies = Array.from(
    { length: options.invoices },
    (_, i) => records.records.filter((r) => r.DocNumber === `ME-${i}`).length,
  );
  const minutes = Math.ceil(options.invoices / options.companyPerMinute) - 1;
  return { realmId, ms, floorMs: minutes * 60_000, throttled: counters.byStatus['429'] ?? 0, copies };
}
