import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTokenCipher } from '../../connections/token-cipher';
import { loadConfig } from '../../config';
import { createDb } from '../../db/client';
import { getConnection } from '../../db/queries/connections';
import { openTokens } from '../../connections/connection-tokens';
import { invoiceDocument } from '../support/documents';
import { testServices } from '../support/env';
import { enqueue, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * Tokens live encrypted in Postgres and nowhere else: not in workflow histories (exported and
 * scanned), API responses or log lines — through a refresh and a revocation.
 */
describe('secrets: no token appears in histories, API responses or logs', () => {
  let system: System;
  const logs: string[] = [];
  const database = createDb(testServices().databaseUrl, { max: 2 });
  const cipher = createTokenCipher(loadConfig({}).tokenKeys);
  let temporal: Client;

  before(async () => {
    system = await startSystem({ env: { LOG_LEVEL: 'debug' }, onLog: (line) => logs.push(line) });
    temporal = new Client({
      connection: await Connection.connect({ address: testServices().temporalAddress }),
    });
  });
  after(async () => {
    await system?.stop();
    await database.close();
    await temporal?.connection.close();
  });

  it('through a sync, a refresh and a revocation', async () => {
    const { realmId } = await system.newCompany();
    const tokens = new Set<string>();
    const rememberStoredTokens = async () => {
      const row = await getConnection(database.db, realmId);
      assert.ok(row, 'the connection is stored');
      const { accessToken, refreshToken } = openTokens(cipher, row);
      tokens.add(accessToken).add(refreshToken);
      assert.ok(!row.accessTokenEnc.includes(accessToken), 'stored encrypted');
    };
    await rememberStoredTokens();

    const syncIds = [await enqueue(system, invoiceDocument(realmId))];
    await waitForState(system, syncIds[0], 'completed');

    await system.sim('POST', `/_sim/companies/${realmId}/tokens/expire`);
    syncIds.push(await enqueue(system, invoiceDocument(realmId)));
    await waitForState(system, syncIds[1], 'completed');
    await rememberStoredTokens();
    assert.ok(tokens.size >= 4, 'the access token expired and was refreshed to a new pair');

    await system.sim('POST', `/_sim/companies/${realmId}/tokens/revoke`);
    await system.sim('POST', `/_sim/companies/${realmId}/tokens/expire`);
    syncIds.push(await enqueue(system, invoiceDocument(realmId)));
    await waitForState(system, syncIds[2], 'paused');

    const exposed: string[] = [];
    for (const id of syncIds)
      exposed.push(historyToJSON(await temporal.workflow.getHandle(id).fetchHistory()));
    for (const path of [
      '/v1/connections',
      `/v1/connections/${realmId}/health`,
      `/v1/syncs?realmId=${realmId}`,
    ]) {
      exposed.push((await system.api('GET', path, undefined, system.adminKey)).text);
    }
    for (const id of syncIds)
      exposed.push((await system.api('GET', `/v1/syncs/${encodeURIComponent(id)}`)).text);
    assert.ok(logs.length > 10, `the worker and API logged (${logs.length} lines)`);
    exposed.push(...logs);

    for (const token of tokens) {
      const leaks = exposed.filter((text) => text.includes(token));
      assert.equal(leaks.length, 0, `a token appears in: ${leaks.map((l) => l.slice(0, 200)).join(' | ')}`);
    }
  });
});
