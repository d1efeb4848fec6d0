import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { localFault } from '../../quickbooks/faults';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import { createQboClient } from '../../quickbooks/client';
import type { RealmBudget, TokenProvider } from '../../quickbooks/ports';
import { createDb } from '../../db/client';
import { setUpDatabase } from '../../db/migrate';
import { createSimulator } from '../../simulator/server';
import type { SyncError } from '../../workflows/contract';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/qbo_sync_test_activities';

type Activities = ReturnType<typeof createActivities>;

// Expected failures would otherwise be logged at WARN by the mock environment.
const quiet = new DefaultLogger('ERROR');

/** The simulator, a real database, and the real activities wired to both, for one test file. */
export interface Harness {
  simUrl: string;
  db: ReturnType<typeof createDb>['db'];
  /** A new simulated company (its own realm) with a test token provider. */
  company(options?: Record<string, unknown>): Promise<string>;
  /** Runs an activity the way a Temporal worker would (MockActivityEnvironment). */
  run<K extends keyof Activities>(name: K, input: Parameters<Activities[K]>[0]): ReturnType<Activities[K]>;
  sim<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  counters(realmId: string): Promise<{ total: number; reads: number; writes: number; queries: number }>;
  records(realmId: string, entity: string): Promise<any[]>;
  close(): Promise<void>;
}

/** Starts the simulator and opens the database (creating and migrating it on first use). */
export async function startHarness(options: { timeoutMs?: number } = {}): Promise<Harness> {
  await setUpDatabase(databaseUrl);
  const simulator = await createSimulator().start(0);
  const { db, close: closeDb } = createDb(databaseUrl, { max: 4 });
  const tokens = new Map<string, string>();
  const tokenProvider: TokenProvider = {
    accessToken: async (realmId) => tokens.get(realmId) ?? '',
    refreshAfterRejection: async () => {
      throw localFault('auth_expired', 'test tokens do not refresh');
    },
  };
  const budget: RealmBudget = { acquire: async () => async () => {}, backOff: async () => {} };
  const qbo = createQboClient({
    baseUrl: simulator.url,
    minorVersion: 75,
    timeoutMs: options.timeoutMs ?? 1500,
    tokens: tokenProvider,
    budget,
  });
  const activities = createActivities({ db, qbo, config: { throttleBackoffMs: 60_000 } });

  const sim = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${simulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  return {
    simUrl: simulator.url,
    db,
    async company(body = {}) {
      const created = await sim<{ realmId: string; tokens: { access_token: string } }>(
        'POST',
        '/_sim/companies',
        // This harness's budget lets every request through at once: lift QuickBooks' 10 a second.
        { ratePerSecond: 10_000, ...body },
      );
      tokens.set(created.realmId, created.tokens.access_token);
      return created.realmId;
    },
    run(name, input) {
      const env = new MockActivityEnvironment({ attempt: 1, activityId: randomUUID() }, { logger: quiet });
      return env.run(activities[name] as (i: typeof input) => any, input) as any;
    },
    sim,
    counters: (realmId) => sim('GET', `/_sim/companies/${realmId}/counters`),
    records: async (realmId, entity) =>
      (await sim<{ records: any[] }>('GET', `/_sim/companies/${realmId}/records/${entity}`)).records,
    async close() {
      await closeDb();
      await simulator.close();
    },
  };
}

/** Runs `fn`, expecting an ApplicationFailure; returns it with its SyncError. */
export async function failureOf(
  fn: () => Promise<unknown>,
): Promise<{ failure: ApplicationFailure; error: SyncError }> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof ApplicationFailure))
      throw new Error(`expected an ApplicationFailure, got ${String(err)}`, { cause: err });
    return { failure: err, error: err.details?.[0] as SyncError };
  }
  throw new Error('expected the activity to fail');
}

/** A source id no other test uses. */
export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
