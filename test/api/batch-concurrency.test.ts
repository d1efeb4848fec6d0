import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { loadConfig } from '../../config';
import { createDb } from '../../db/client';
import { invoiceDocument, unique } from '../support/documents';
import { testServices } from '../support/env';
import { startSystem, type System } from '../support/system';
import { countedTemporalClient, type CountedClient } from '../support/temporal-calls';

const BOUND = 3;

/**
 * POST /v1/syncs/batch enqueues its documents concurrently, never more than BATCH_ENQUEUE_CONCURRENCY at a
 * time, each new invoice with one Temporal call: the route built by createApp on the real dev server and
 * Postgres, its Temporal calls counted.
 */
describe('sync batches: concurrent within BATCH_ENQUEUE_CONCURRENCY, one start per new invoice', () => {
  let system: System;
  let temporal: CountedClient;
  const database = createDb(testServices().databaseUrl, { max: BOUND + 2 });
  const idleQueue = `batch-idle-${unique()}`;
  const started: string[] = [];
  before(async () => {
    system = await startSystem(); // connects the company (admin API) in the same database
    temporal = await countedTemporalClient();
  });
  after(async () => {
    for (const id of started)
      await temporal?.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => {});
    await temporal?.close();
    await database.close();
    await system?.stop();
  });

  it(`enqueues 15 documents at most ${BOUND} at a time, more than one at once`, async () => {
    const { realmId } = await system.newCompany();
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: testServices().databaseUrl,
      SOURCE_API_KEYS: 'batch-source-key',
      TEMPORAL_TASK_QUEUE: idleQueue, // no worker: the syncs wait, the test ends them
      BATCH_ENQUEUE_CONCURRENCY: String(BOUND),
    });
    const deps: ApiDeps = {
      config,
      db: database.db,
      temporal: temporal.client,
      logger: pino({ level: 'silent' }) as unknown as ApiDeps['logger'],
      qbo: {} as ApiDeps['qbo'],
      resumePausedSyncs: async () => ({ signalled: 0, finished: 0, failed: 0 }),
    };
    const app = createApp(deps);
    const documents = Array.from({ length: 15 }, () => invoiceDocument(realmId));
    temporal.reset();
    const res = await app.request('/v1/syncs/batch', {
      method: 'POST',
      headers: { authorization: 'Bearer batch-source-key', 'content-type': 'application/json' },
      body: JSON.stringify({ documents }),
    });
    const body = (await res.json()) as { results: { syncId: string; outcome: string }[] };
    assert.equal(res.status, 202, JSON.stringify(body));
    started.push(...body.results.map((r) => r.syncId));
    assert.deepEqual(
      body.results.map((r) => r.outcome),
      documents.map(() => 'started'),
    );
    const starts = temporal.calls.filter((c) => c === 'StartWorkflowExecution').length;
    assert.equal(starts, documents.length, `one start per new invoice: ${temporal.calls.join(', ')}`);
    assert.ok(!temporal.calls.includes('DescribeWorkflowExecution'), temporal.calls.join(', '));
    const most = temporal.mostAtOnce('StartWorkflowExecution');
    assert.ok(most <= BOUND, `at most ${BOUND} at once, saw ${most}`);
    assert.ok(most > 1, `concurrent: saw ${most} at once`);
  });
});
