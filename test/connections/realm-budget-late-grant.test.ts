import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRealmBudget, type RealmBudgetOptions } from '../../connections/realm-budget';
import { createDb } from '../../db/client';
import { prepareDatabase, settlesWithin, uniqueRealmId } from './support';

/**
 * A clock under which every attempt's round trip looks 500 ms long (as after a stalled event loop) until
 * `lateGrants` grants have been given back as late: the budget reads it before and after each attempt.
 */
function stallingClock(lateGrants: number) {
  let reads = 0;
  let offset = 0;
  const seen = { late: 0 };
  return {
    seen,
    clock: () => {
      reads++;
      if (reads % 2 === 0 && seen.late < lateGrants) offset += 500;
      return performance.now() + offset;
    },
    onLateGrant: () => void seen.late++,
  };
}

void describe('realm budget: a grant that reached the process late', { concurrency: true }, () => {
  let db: ReturnType<typeof createDb>;
  const limits = { perMinute: 10_000, perSecond: 10_000, maxInFlight: 5, firstHoldMs: 200, maxHoldMs: 400 };
  const budgetWith = (options: Partial<RealmBudgetOptions>) =>
    createRealmBudget({ sql: db.sql, ...limits, ...options });
  const row = async (realmId: string) => {
    const [r] = await db.sql`
      SELECT cardinality(recent_grants) AS grants, cardinality(recent_batches) AS batches,
             (SELECT count(*)::int FROM unnest(leases) AS l WHERE l > now()) AS held,
             throttle_strikes AS strikes, probe_lease IS NOT NULL AS probing
      FROM realm_budgets WHERE realm_id = ${realmId}`;
    return r as {
      grants: number;
      batches: number;
      held: number;
      strikes: number;
      probing: boolean;
    };
  };

  before(async () => {
    db = createDb(await prepareDatabase());
  });
  after(() => db.close());

  void it('is given back unsent and asked for again; only the sliding second keeps its stamp', async () => {
    const realmId = uniqueRealmId();
    const stalls = stallingClock(1);
    // One grant a second for the minute: a credit not given back would make the second grant wait a second.
    const budget = budgetWith({ perMinute: 61, minuteBurst: 1, ...stalls });
    const started = Date.now();
    const release = await budget.acquire(realmId, { batch: true });
    const waited = Date.now() - started;
    assert.ok(
      waited < 600,
      `granted again at once (after ${waited} ms): the unsent grant's minute credit came back`,
    );
    assert.equal(stalls.seen.late, 1, 'the first grant was late');
    const held = await row(realmId);
    assert.equal(held.grants, 2, 'both grants stamped in the sliding second');
    assert.equal(held.batches, 1, 'only the grant that is used counts among the minute’s batches');
    assert.equal(held.held, 1, 'only one slot taken');
    await release();
    assert.equal((await row(realmId)).held, 0);
  });

  void it('a late probe is not sent, and the next grant is the probe: nobody goes beside it', async () => {
    const realmId = uniqueRealmId();
    const other = budgetWith({});
    await (
      await other.acquire(realmId)
    )({ throttled: true });
    const stalls = stallingClock(1);
    const prober = budgetWith(stalls);
    const probe = await prober.acquire(realmId);
    assert.equal(stalls.seen.late, 1, 'the first probe grant was late');
    const state = await row(realmId);
    assert.equal(state.strikes, 1, 'still throttled until a probe is answered');
    assert.equal(state.probing, true, 'the second grant is the probe');
    const beside = other.acquire(realmId);
    assert.equal(await settlesWithin(beside, 500), false, 'nothing else goes while the probe is out');
    await probe();
    await (
      await beside
    )();
    assert.equal((await row(realmId)).strikes, 0, 'the answered probe ends the throttle');
  });

  void it('on a database slow on every answer, the third grant in a row is used', async () => {
    const realmId = uniqueRealmId();
    const stalls = stallingClock(Infinity);
    const budget = budgetWith(stalls);
    const release = await budget.acquire(realmId);
    assert.equal(stalls.seen.late, 2);
    assert.equal((await row(realmId)).held, 1);
    await release();
  });

  void it('is kept where a crash may empty it: the table is unlogged (no commit waits for the disk)', async () => {
    const [table] = await db.sql`SELECT relpersistence FROM pg_class WHERE relname = 'realm_budgets'`;
    assert.equal(table.relpersistence, 'u');
  });
});
