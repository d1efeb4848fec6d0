import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asActivity } from '../../activities/application-failure';
import { createDb } from '../../db/client';
import type { SyncDeps } from '../../sync/sync-deps';
import { invoiceDocument } from '../support/documents';
import { testServices } from '../support/env';
import { inProcessApi, type InProcessApi } from './in-process-api';

/**
 * Finding 5: a document the database cannot store (a NUL byte, a version past the integer column) is
 * refused at the API with 422 naming the field; and if one ever reaches an activity, the database's
 * refusal is final (non-retryable) and said without SQL or values.
 */
describe('poison documents: refused at the API, final in activities', () => {
  let api: InProcessApi;
  const database = createDb(testServices().databaseUrl, { max: 2 });
  before(async () => {
    api = await inProcessApi();
  });
  after(async () => {
    await api?.close();
    await database.close();
  });

  const cases: { field: string; edit: (doc: any) => void }[] = [
    { field: 'customer.displayName', edit: (d) => (d.customer.displayName = 'Acme\u0000 Corp') },
    { field: 'customer.email', edit: (d) => (d.customer.email = 'a\u0000@example.com') },
    {
      field: 'customer.billingAddress.line1',
      edit: (d) => (d.customer.billingAddress.line1 = '1\u0000 Main'),
    },
    { field: 'invoice.memo', edit: (d) => (d.invoice.memo = 'thanks\u0007') },
    { field: 'invoice.docNumber', edit: (d) => (d.invoice.docNumber = 'INV\u0000') },
    { field: 'lines.0.description', edit: (d) => (d.lines[0].description = 'x\u001b[31m') },
    { field: 'lines.0.taxCategory', edit: (d) => (d.lines[0].taxCategory = 'exempt\u0000') },
    { field: 'lines.0.item.name', edit: (d) => (d.lines[0].item.name = 'Item \ud800') },
    { field: 'invoice.version', edit: (d) => (d.invoice.version = 2 ** 53 - 1) },
    { field: 'invoice.version', edit: (d) => (d.invoice.version = 2 ** 31) },
  ];
  for (const [i, { field, edit }] of cases.entries()) {
    it(`refuses poison value ${i + 1} in ${field} with 422 naming the field (single and batch)`, async () => {
      const doc = invoiceDocument('9130000000000001');
      edit(doc);
      for (const [path, body] of [
        ['/v1/syncs', doc],
        ['/v1/syncs/batch', { documents: [doc] }],
      ] as const) {
        const res = await api.request('POST', path, body);
        const answer: any = await res.json();
        const fields = path === '/v1/syncs' ? answer.error?.fields : answer.results?.[0]?.fields;
        const prefix = path === '/v1/syncs' ? '' : 'documents.0.';
        assert.equal(res.status, path === '/v1/syncs' ? 422 : 202, `${path}: ${JSON.stringify(answer)}`);
        const hit = (fields ?? []).find((f: any) => f.path === `${prefix}${field}`);
        assert.ok(hit, `${path}: ${prefix}${field} is named: ${JSON.stringify(answer)}`);
        assert.match(
          hit.reason,
          field === 'invoice.version' ? /at most 2147483647/ : /control characters|NUL/,
        );
      }
    });
  }

  it('still accepts tabs and line breaks in free text and the largest 32-bit version', async () => {
    const doc = invoiceDocument('9130000000000001');
    doc.invoice.memo = 'Thanks!\nPay within 30 days.\tRef A';
    doc.invoice.version = 2 ** 31 - 1;
    const res = await api.request('POST', '/v1/syncs', doc);
    const answer: any = await res.json();
    // The company is not connected here: the only complaint is the realmId, never the memo or version.
    assert.equal(res.status, 422);
    assert.deepEqual(
      answer.error.fields.map((f: any) => f.path),
      ['realmId'],
    );
  });

  for (const [sqlstate, query] of [
    ['22021', sql`select ${'Acme\u0000 Corp customer@example.com'}::text`],
    ['22003', sql`select ${String(2 ** 53 - 1)}::integer`],
  ] as const) {
    it(`turns Postgres ${sqlstate} in an activity into a non-retryable failure without SQL or values`, async () => {
      const deps = { config: { throttleBackoffMs: 1_000 } } as SyncDeps;
      const failure = await asActivity(deps, { step: 'customer', sourceId: 'cust-1' }, () =>
        database.db.execute(query),
      ).then(
        () => assert.fail('the query should have failed'),
        (err: unknown) => err,
      );
      assert.ok(failure instanceof ApplicationFailure, String(failure));
      assert.equal(failure.nonRetryable, true, 'the same value can never be stored: do not retry');
      assert.equal(failure.type, 'invalid_field');
      const shown = JSON.stringify({ message: failure.message, details: failure.details });
      assert.match(shown, new RegExp(sqlstate));
      for (const leak of ['select', 'Acme', 'customer@example.com', '9007199254740991', 'params'])
        assert.ok(!shown.toLowerCase().includes(leak.toLowerCase()), `no "${leak}" in ${shown}`);
    });
  }

  it('keeps a dropped connection retryable', async () => {
    const deps = { config: { throttleBackoffMs: 1_000 } } as SyncDeps;
    const err = Object.assign(new Error('terminating connection'), {
      name: 'PostgresError',
      code: '57P01',
      severity: 'FATAL',
    });
    const failure = await asActivity(deps, { step: 'customer', sourceId: 'cust-1' }, async () => {
      throw err;
    }).catch((e: unknown) => e);
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.nonRetryable, false);
  });
});
