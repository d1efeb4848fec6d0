import { Client, Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { searchAttributes } from '../../workflows/contract';
import { testServices } from '../support/env';
import { inProcessApi, type InProcessApi } from './in-process-api';

/**
 * Finding 6: the source key reads syncs, not the namespace. Another workflow type or an id of another
 * shape is 404 at once; a running sync with no worker to answer its query answers within seconds.
 */
describe('GET /v1/syncs/{id}: only sync workflows, never a hang', () => {
  let api: InProcessApi;
  let outsider: Client;
  let connection: Connection;
  const started: string[] = [];
  // No worker polls this task queue: every workflow below stays RUNNING with nobody to answer a query.
  const taskQueue = `no-worker-${randomBytes(4).toString('hex')}`;
  const tag = randomBytes(4).toString('hex');

  before(async () => {
    api = await inProcessApi();
    connection = await Connection.connect({ address: testServices().temporalAddress });
    outsider = new Client({ connection });
  });
  after(async () => {
    for (const id of started)
      await outsider.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => {});
    await api?.close();
    await connection?.close();
  });

  const start = async (type: string, workflowId: string) => {
    await outsider.workflow.start(type, {
      workflowId,
      taskQueue,
      args: [{ secret: 'payroll' }],
      typedSearchAttributes: [
        { key: searchAttributes.realmId, value: '9130000000000001' },
        { key: searchAttributes.sourceInvoiceId, value: `inv-${tag}` },
        { key: searchAttributes.syncState, value: 'running' },
      ],
    });
    started.push(workflowId);
  };

  const read = async (id: string) => {
    const began = Date.now();
    const res = await api.request('GET', `/v1/syncs/${encodeURIComponent(id)}`);
    return { status: res.status, body: (await res.json()) as any, ms: Date.now() - began };
  };

  it('answers 404 at once for another workflow type, even under a sync-shaped id', async () => {
    const id = `sync:9130000000000001:payroll-${tag}`;
    await start('payrollRun', id);
    const res = await read(id);
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'sync_not_found');
    assert.ok(!JSON.stringify(res.body).includes('payroll-run'), 'nothing about the workflow leaks');
    assert.ok(res.ms < 3_000, `answered in ${res.ms} ms`);
  });

  it('answers 404 at once for an id that is not a sync id, without asking Temporal', async () => {
    const id = `payroll-${tag}`;
    await start('syncInvoice', id);
    for (const probe of [id, 'sync:only-two-parts', 'sync::x', `sync:9130000000000001:a b`]) {
      const res = await read(probe);
      assert.equal(res.status, 404, `${probe}: ${JSON.stringify(res.body)}`);
      assert.ok(res.ms < 1_000, `${probe} answered in ${res.ms} ms`);
    }
  });

  it('reads a running sync whose worker is gone from its search attributes within seconds', async () => {
    const id = `sync:9130000000000001:inv-${tag}`;
    await start('syncInvoice', id);
    const res = await read(id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.state, 'running');
    assert.equal(res.body.sourceInvoiceId, `inv-${tag}`);
    assert.ok(res.ms < 5_000, `answered in ${res.ms} ms, not after Temporal's query timeout`);
  });
});
