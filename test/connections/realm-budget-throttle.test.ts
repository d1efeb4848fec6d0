import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRealmBudget } from '../../connections/realm-budget';
import { createDb } from '../../db/client';
import type { RealmBudget, ReleaseSlot } from '../../quickbooks/ports';
import { prepareDatabase, settlesWithin, uniqueRealmId } from './support';

/** Resolves with the ms it took `acquire` to grant, and the release. */
async function timedAcquire(budget: RealmBudget, realmId: string) {
  const started = Date.now();
  const release = await budget.acquire(realmId);
  return { waited: Date.now() - started, release };
}

void describe('realm budget after a throttle (429)', { concurrency: true }, () => {
  let db: ReturnType<typeof createDb>;
  let other: ReturnType<typeof createDb>;
  // Two budgets on two connection pools: what two worker processes share is only the database.
  let first: RealmBudget;
  let second: RealmBudget;
  before(async () => {
    const url = await prepareDatabase();
    db = createDb(url);
    other = createDb(url);
    const limits = {
      perMinute: 10_000,
      perSecond: 10_000,
      maxInFlight: 5,
      firstHoldMs: 400,
      maxHoldMs: 1_600,
    };
    first = createRealmBudget({ sql: db.sql, ...limits });
    second = createRealmBudget({ sql: other.sql, ...limits });
  });
  after(async () => {
    await db.close();
    await other.close();
  });

  void it('a 429 naming no wait holds the company briefly, then one probe goes; its answer frees everyone', async () => {
    const realmId = uniqueRealmId();
    const inFlight = await Promise.all([1, 2, 3].map(() => first.acquire(realmId)));
    await inFlight[0]({ throttled: true });
    // The other requests sent before the hold answer 429 too: they do not lengthen it.
    await inFlight[1]({ throttled: true });
    await inFlight[2]();
    const probe = await timedAcquire(second, realmId);
    assert.ok(probe.waited >= 300 && probe.waited < 1_000, `probe after ${probe.waited} ms (hold 400 ms)`);
    const waiting = first.acquire(realmId);
    assert.equal(await settlesWithin(waiting, 400), false, 'nothing else goes while the probe is out');
    const freed = Date.now();
    await probe.release();
    const next = await waiting;
    assert.ok(Date.now() - freed < 400, `the others went ${Date.now() - freed} ms after the probe answered`);
    await next();
    const [row] =
      await db.sql`SELECT throttle_strikes, backoff_until FROM realm_budgets WHERE realm_id = ${realmId}`;
    assert.deepEqual(row, { throttle_strikes: 0, backoff_until: null });
  });

  void it('while the probe keeps getting 429s the hold doubles, up to the longest', async () => {
    const realmId = uniqueRealmId();
    await (
      await first.acquire(realmId)
    )({ throttled: true });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const probe = await timedAcquire(i % 2 ? first : second, realmId);
      waits.push(probe.waited);
      await probe.release({ throttled: true });
    }
    const last = await timedAcquire(first, realmId);
    waits.push(last.waited);
    await last.release();
    console.log('probe waits', JSON.stringify(waits));
    // Holds: 400, 800, 1600, 1600 (the longest), 1600.
    const expected = [400, 800, 1_600, 1_600, 1_600];
    waits.forEach((w, i) =>
      assert.ok(
        w >= expected[i] - 100 && w < expected[i] + 700,
        `hold ${i + 1}: ${w} ms, expected ~${expected[i]}`,
      ),
    );
  });

  void it('a wait QuickBooks names (Retry-After) is held in full, by every process', async () => {
    const realmId = uniqueRealmId();
    await (
      await first.acquire(realmId)
    )({ throttled: true, retryAfterMs: 1_500 });
    const probe = await timedAcquire(second, realmId);
    assert.ok(probe.waited >= 1_400 && probe.waited < 2_300, `waited ${probe.waited} ms of 1500`);
    await probe.release();
    const free = await timedAcquire(first, realmId);
    assert.ok(free.waited < 300, `after the probe answered nothing waits (${free.waited} ms)`);
    await free.release();
  });

  void it('a probe whose process died gives way to a new probe when its lease ends', async () => {
    const realmId = uniqueRealmId();
    const short = createRealmBudget({
      sql: db.sql,
      perMinute: 10_000,
      maxInFlight: 5,
      firstHoldMs: 200,
      leaseMs: 800,
    });
    await (
      await short.acquire(realmId)
    )({ throttled: true });
    const dead: ReleaseSlot = await short.acquire(realmId); // the probe, never answered
    void dead;
    const next = await timedAcquire(short, realmId);
    assert.ok(next.waited >= 600 && next.waited < 2_000, `the next probe went after ${next.waited} ms`);
    await next.release();
  });
});
