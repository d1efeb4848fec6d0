import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { saveConnection } from '../../connections/connection-tokens';
import { createTokenCipher } from '../../connections/token-cipher';
import { createDb } from '../../db/client';
import { markConnection } from '../../db/queries/connections';
import { listWaiting } from '../../db/queries/waiting-syncs';
import type { Ledger } from '../../sync/ledger';
import type { QboClient } from '../../quickbooks/client';
import { checkPauseCause } from '../../sync/pause-causes';
import { prepareDatabase, uniqueRealmId } from './support';

/** The paused sync's self-check: the connection row for auth, one shared book-close read for a closed period. */
describe('pause causes', () => {
  let handle: ReturnType<typeof createDb>;
  const cipher = createTokenCipher(loadConfig({}).tokenKeys);
  before(async () => {
    handle = createDb(await prepareDatabase(), { max: 8 });
  });
  after(async () => {
    await handle?.close();
  });

  // Random tokens: other suites scan logs for every stored token, so a short one would match anything.
  const grant = () => ({
    accessToken: `test-at-${randomBytes(12).toString('hex')}`,
    refreshToken: `test-rt-${randomBytes(12).toString('hex')}`,
    expiresIn: 3600,
    refreshExpiresIn: 86_400,
    issuedAt: new Date(),
  });
  const deps = (preferences: () => Promise<Record<string, unknown>>) => ({
    db: handle.db,
    qbo: { preferences } as unknown as QboClient,
    ledger: { preferences } as unknown as Ledger,
    config: { throttleBackoffMs: 1_000 },
  });

  it('auth clears only when the connection is active with a newer generation than the one that failed', async () => {
    const realmId = uniqueRealmId();
    const syncId = `sync:${realmId}:inv-1`;
    const saved = await saveConnection(handle.db, cipher, {
      realmId,
      environment: 'sandbox',
      grant: grant(),
    });
    await markConnection(handle.db, realmId, 'needs_reauth', 'test');
    const noQbo = deps(async () => assert.fail('no QuickBooks call for an auth check'));
    const input = { realmId, syncId, reason: 'auth' as const, intervalMs: 1_000 };
    const failedWith = saved.tokenVersion;
    assert.equal((await checkPauseCause(noQbo, { ...input, connectionVersion: failedWith })).cleared, false);
    assert.deepEqual(await listWaiting(handle.db, realmId, 'auth'), [syncId], 'recorded as waiting');

    await markConnection(handle.db, realmId, 'active', null); // active again, but the same tokens
    assert.equal((await checkPauseCause(noQbo, { ...input, connectionVersion: failedWith })).cleared, false);

    await saveConnection(handle.db, cipher, { realmId, environment: 'sandbox', grant: grant() }); // reconnected
    assert.equal((await checkPauseCause(noQbo, { ...input, connectionVersion: failedWith })).cleared, true);
    assert.deepEqual(await listWaiting(handle.db, realmId, 'auth'), [], 'no longer waiting');
  });

  it("a closed period: one Preferences read per company per half interval, shared by all its syncs' checks", async () => {
    const realmId = uniqueRealmId();
    let reads = 0;
    let closeDate: string | undefined = '2026-11-15';
    const d = deps(async () => {
      reads++;
      return { AccountingInfoPrefs: closeDate ? { BookCloseDate: closeDate } : {} };
    });
    const failedAt = new Date(Date.now() - 1_000).toISOString();
    const check = (i: number, txnDate: string) =>
      checkPauseCause(d, {
        realmId,
        syncId: `sync:${realmId}:inv-${i}`,
        reason: 'closed_period',
        failedAt,
        txnDate,
        intervalMs: 4_000,
      });
    const held = await Promise.all([1, 2, 3, 4, 5].map((i) => check(i, '2026-11-02')));
    assert.equal(reads, 1, 'five checks, one read');
    assert.ok(held.every((c) => !c.cleared && c.bookCloseDate === '2026-11-15'));
    assert.equal(
      (await check(6, '2026-11-20')).cleared,
      true,
      'a transaction after the closing date is clear',
    );

    closeDate = undefined; // reopened in QuickBooks
    assert.equal((await check(1, '2026-11-02')).cleared, false, 'within the half interval: the shared read');
    assert.equal(reads, 1);
    await new Promise((r) => setTimeout(r, 2_100));
    assert.equal((await check(1, '2026-11-02')).cleared, true, 'the next read sees the period reopened');
    assert.equal(reads, 2);
  });

  it('a book-close date read before the failure is not trusted to clear it', async () => {
    const realmId = uniqueRealmId();
    const d = deps(async () => ({ AccountingInfoPrefs: {} }));
    const input = {
      realmId,
      syncId: `sync:${realmId}:inv-1`,
      reason: 'closed_period' as const,
      intervalMs: 60_000,
    };
    await checkPauseCause(d, {
      ...input,
      failedAt: new Date(Date.now() - 60_000).toISOString(),
      txnDate: '2026-11-02',
    });
    const later = await checkPauseCause(d, {
      ...input,
      failedAt: new Date(Date.now() + 1_000).toISOString(),
      txnDate: '2026-11-02',
    });
    assert.equal(later.cleared, false);
  });
});
