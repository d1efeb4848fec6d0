import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { eventually } from '../support/http';
import { qboRecords } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/** The source app's backfill path: many documents at once, a result per document, progress as one. */
describe('sync batches', () => {
  let system: System;
  before(async () => {
    system = await startSystem();
  });
  after(async () => {
    await system?.stop();
  });

  it('enqueues the good documents, rejects the bad ones by index and field, and reports progress to done', async () => {
    const { realmId } = await system.newCompany();
    const good = Array.from({ length: 12 }, () => invoiceDocument(realmId));
    const bad = invoiceDocument(realmId);
    bad.invoice.docNumber = 'X'.repeat(30);
    const documents = [...good.slice(0, 5), bad, ...good.slice(5), good[0]];

    const res = await system.api('POST', '/v1/syncs/batch', { documents });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.total, documents.length);
    assert.equal(res.body.rejected, 1);
    const rejected = res.body.results[5];
    assert.equal(rejected.outcome, 'rejected');
    assert.ok(
      rejected.fields.some((f: any) => f.path === 'documents.5.invoice.docNumber'),
      JSON.stringify(rejected),
    );
    const duplicate = res.body.results[documents.length - 1];
    assert.equal(duplicate.syncId, res.body.results[0].syncId, 'the same document twice is the same sync');

    const progress = await eventually(
      async () => (await system.api('GET', `/v1/syncs/batch/${res.body.batchId}`)).body,
      (p) => p.finished === true,
      90_000,
      'batch finished',
    );
    assert.equal(progress.total, documents.length);
    assert.equal(progress.rejected, 1);
    assert.equal(progress.counts.completed, good.length + 1, JSON.stringify(progress));
    assert.equal(progress.done, documents.length);

    assert.equal(
      (await qboRecords(system, realmId, 'Invoice')).length,
      good.length,
      'one invoice per good document',
    );
  });

  it('refuses an oversized batch and a malformed body with a clear 4xx', async () => {
    const { realmId } = await system.newCompany();
    const tooMany = Array.from({ length: 501 }, () => ({ realmId }));
    const big = await system.api('POST', '/v1/syncs/batch', { documents: tooMany });
    assert.equal(big.status, 422);
    assert.equal(big.body.error.fields[0].path, 'documents');
    assert.match(big.body.error.fields[0].reason, /500/);

    const malformed = await system.api('POST', '/v1/syncs/batch', '{"documents": [');
    assert.ok(malformed.status >= 400 && malformed.status < 500, malformed.text);
    assert.ok(malformed.body.error.message);
  });
});
