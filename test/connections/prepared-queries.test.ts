import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql as raw } from 'drizzle-orm';
import { createDb } from '../../db/client';
import { connections } from '../../db/schema';
import { prepareDatabase } from './support';

/** How many statements this connection has prepared whose text contains `fragment`. */
const prepared = (fragment: string) =>
  raw`SELECT count(*)::int AS n FROM pg_prepared_statements
      WHERE position(${fragment} in statement) > 0 AND position('pg_prepared_statements' in statement) = 0`;
const count = (rows: unknown) => (rows as { n: number }[])[0]!.n;

void describe('drizzle queries run as prepared statements', () => {
  let handle: ReturnType<typeof createDb>;

  before(async () => {
    // One connection, so every query below shares the session whose prepared statements it reads.
    handle = createDb(await prepareDatabase(), { max: 1 });
  });
  after(() => handle.close());

  void it('outside a transaction', async () => {
    await handle.db
      .select({ realmId: connections.realmId })
      .from(connections)
      .where(raw`${connections.realmId} = ${`prepared-${Date.now()}`}`);
    assert.equal(count(await handle.db.execute(prepared('select "realm_id" from "connections"'))), 1);
  });

  void it('inside a transaction and a savepoint', async () => {
    const counts = await handle.db.transaction(async (tx) => {
      await tx
        .select({ status: connections.status })
        .from(connections)
        .where(raw`${connections.realmId} = ${`prepared-tx-${Date.now()}`}`);
      const inTx = count(await tx.execute(prepared('select "status" from "connections"')));
      const inSavepoint = await tx.transaction(async (nested) => {
        await nested.execute(raw`SELECT ${1}::int AS savepoint_probe`);
        return count(await nested.execute(prepared('AS savepoint_probe')));
      });
      return { inTx, inSavepoint };
    });
    assert.deepEqual(counts, { inTx: 1, inSavepoint: 1 });
  });
});
