import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { asActivity } from '../../activities/application-failure';
import { createDb } from '../../db/client';
import { listWaiting } from '../../db/queries/waiting-syncs';
import { localFault } from '../../quickbooks/qbo-fault';
import type { SyncDeps } from '../../sync/sync-deps';
import { prepareDatabase, uniqueRealmId } from '../connections/support';

/**
 * A failure that pauses the sync records it in waiting_syncs before the workflow hears of it, so a
 * reconnect finds it in our own table (revision 4 no longer checks the cause right after the failure).
 */
describe('an activity failure that pauses the sync', () => {
  let handle: ReturnType<typeof createDb>;
  let deps: SyncDeps;
  before(async () => {
    handle = createDb(await prepareDatabase(), { max: 4 });
    deps = { db: handle.db, config: { throttleBackoffMs: 1_000 } } as unknown as SyncDeps;
  });
  after(async () => {
    await handle?.close();
  });

  const failWith = (realmId: string, syncId: string, pattern: 'auth_expired' | 'duplicate_name') =>
    asActivity(deps, { step: 'invoice', sourceId: 'inv-1', sync: { realmId, syncId } }, async () => {
      throw localFault(pattern, `${pattern} (test)`);
    }).then(
      () => assert.fail('the activity should have failed'),
      (err: unknown) => err,
    );

  it('records an expired connection as waiting, then fails with the pattern', async () => {
    const realmId = uniqueRealmId();
    const syncId = `sync:${realmId}:inv-1`;
    const err = await failWith(realmId, syncId, 'auth_expired');
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'auth_expired');
    assert.deepEqual(await listWaiting(handle.db, realmId, 'auth'), [syncId]);
  });

  it('records nothing for a failure that waits for a person instead', async () => {
    const realmId = uniqueRealmId();
    const err = await failWith(realmId, `sync:${realmId}:inv-1`, 'duplicate_name');
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'duplicate_name');
    assert.deepEqual(await listWaiting(handle.db, realmId, 'auth'), []);
    assert.deepEqual(await listWaiting(handle.db, realmId, 'closed_period'), []);
  });
});
