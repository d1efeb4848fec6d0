import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { createDb } from '../../db/client';
import { consumeOAuthState, createOAuthState } from '../../db/queries/oauth-states';
import { oauthStates } from '../../db/schema';
import { prepareDatabase } from './support';

const binding = { codeVerifier: 'v'.repeat(43), bindingHash: 'b'.repeat(43), startedBy: 'key:test' };

void describe('OAuth state', () => {
  let handle: ReturnType<typeof createDb>;
  before(async () => {
    handle = createDb(await prepareDatabase());
  });
  after(() => handle.close());

  void it('is 32 random bytes, base64url, and works exactly once', async () => {
    const state = await createOAuthState(handle.db, binding);
    assert.match(state, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await consumeOAuthState(handle.db, state), { ...binding, realmId: null });
    assert.equal(await consumeOAuthState(handle.db, state), undefined, 'reused');
  });

  void it('refuses wrong, missing and expired states', async () => {
    assert.equal(await consumeOAuthState(handle.db, 'not-a-state-we-issued'), undefined);
    assert.equal(await consumeOAuthState(handle.db, ''), undefined);
    assert.equal(await consumeOAuthState(handle.db, undefined), undefined);
    const state = await createOAuthState(handle.db, binding);
    await handle.db
      .update(oauthStates)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(oauthStates.state, state));
    assert.equal(await consumeOAuthState(handle.db, state), undefined, 'expired');
  });

  void it('lets exactly one of many racing callbacks through', async () => {
    const state = await createOAuthState(handle.db, binding);
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeOAuthState(handle.db, state)));
    assert.equal(results.filter(Boolean).length, 1);
  });
});
