import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoiceDocument } from '../support/documents';
import { inProcessApi, type InProcessApi } from './in-process-api';

/**
 * Finding 7: a document larger than the stated limit (MAX_DOCUMENT_BYTES, 512 KiB by default, far under
 * Temporal's 2 MB payload limit) is refused at once with 413 naming the limit; in a batch each
 * document is held to it, and the batch body to MAX_BATCH_BYTES.
 */
function bigDocument(bytes: number) {
  const doc = invoiceDocument('9130000000000001');
  const line = doc.lines[0];
  const description = 'Consulting hours, itemised by day and by the person who did them. '.repeat(60);
  doc.lines = Array.from({ length: Math.ceil(bytes / description.length) }, () => ({
    ...line,
    description: description.slice(0, 4000),
  }));
  doc.payments = [];
  return doc;
}

describe('document size: refused at once above the stated limit', () => {
  let api: InProcessApi;
  before(async () => {
    api = await inProcessApi();
  });
  after(async () => {
    await api?.close();
  });

  it('uses a limit well under the 2 MB Temporal accepts, and says it in the OpenAPI document', async () => {
    assert.equal(api.config.MAX_DOCUMENT_BYTES, 512 * 1024);
    const spec: any = await (await api.app.request('/v1/openapi.json')).json();
    const enqueue = spec.paths['/v1/syncs'].post;
    assert.ok(enqueue.responses['413'], 'POST /v1/syncs documents its 413');
    assert.match(`${enqueue.description} ${enqueue.responses['413'].description}`, /512 KiB/);
  });

  it('answers a 3.1 MB valid-looking document with 413 naming the limit, within a second', async () => {
    const doc = bigDocument(3.1 * 1024 * 1024);
    const began = Date.now();
    const res = await api.request('POST', '/v1/syncs', doc);
    const body: any = await res.json();
    assert.equal(res.status, 413, JSON.stringify(body).slice(0, 300));
    assert.equal(body.error.code, 'payload_too_large');
    assert.match(body.error.message, /512 KiB/);
    assert.ok(Date.now() - began < 1_000, `answered in ${Date.now() - began} ms`);
  });

  it('refuses a document just over the limit and looks at one just under it', async () => {
    const over = await api.request('POST', '/v1/syncs', bigDocument(530 * 1024));
    assert.equal(over.status, 413);
    const under = await api.request('POST', '/v1/syncs', bigDocument(400 * 1024));
    assert.notEqual(under.status, 413, 'a 400 KiB document is inside the limit');
  });

  it('holds every document of a batch to the limit, and the batch body to MAX_BATCH_BYTES', async () => {
    const small = invoiceDocument('9130000000000001');
    const res = await api.request('POST', '/v1/syncs/batch', {
      documents: [bigDocument(600 * 1024), small],
    });
    const body: any = await res.json();
    assert.equal(res.status, 202, JSON.stringify(body).slice(0, 300));
    assert.equal(body.results[0].outcome, 'rejected');
    assert.equal(body.results[0].fields[0].path, 'documents.0');
    assert.match(body.results[0].fields[0].reason, /at most 512 KiB/);
    assert.ok(
      !body.results[1].fields?.some((f: any) => f.path === 'documents.1'),
      'the small one is judged on its own',
    );

    const documents = Array.from({ length: 20 }, () => bigDocument(450 * 1024));
    const huge = await api.request('POST', '/v1/syncs/batch', { documents });
    assert.equal(huge.status, 413);
    assert.match(((await huge.json()) as any).error.message, /8 MiB/);
  });
});
