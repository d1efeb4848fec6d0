import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { createPayloadCodec, payloadDataConverter } from '../../lib/payload-codec';
import { invoiceDocument, unique } from '../support/documents';
import { testServices } from '../support/env';
import { enqueue, waitForState } from '../support/syncs';
import { startSystem, type System } from '../support/system';

/**
 * The "Also" of issue 12: customer names, emails and addresses never sit in clear in a workflow
 * history. An exported history (fetched by a client without the codec) shows none of them; the codec
 * (in-process, or the API's /codec endpoint the Temporal UI calls) reads them back; the encrypted
 * history replays.
 */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Every payload in a history exported as JSON (any object with an `encoding` in its metadata), except
 * search attributes: Temporal indexes those, so they stay readable and hold only ids (checked below).
 */
function payloadsOf(value: unknown, withSearchAttributes = false, found: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsOf(v, withSearchAttributes, found));
  else if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const metadata = v.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata === 'object' && 'encoding' in metadata) found.push(v as JsonPayload);
    else
      for (const [key, child] of Object.entries(v))
        if (withSearchAttributes || key !== 'searchAttributes')
          payloadsOf(child, withSearchAttributes, found);
  }
  return found;
}

const text = (p: JsonPayload) => Buffer.from(p.data ?? '', 'base64').toString('utf8');
const encodingOf = (p: JsonPayload) => Buffer.from(p.metadata?.encoding ?? '', 'base64').toString();

describe('encrypted payloads: histories without customer data in clear', () => {
  let system: System;
  let connection: Connection;
  let plainClient: Client;
  const tag = unique();
  const secrets = {
    name: `Hopper Analytical Engines ${tag}`,
    email: `grace-${tag}@hopper.example`,
    street: `${tag} Cobol Lane`,
    city: `Arlington${tag}`,
  };
  let syncId: string;
  let exported: string;
  let payloads: JsonPayload[];

  before(async () => {
    system = await startSystem({ env: { CODEC_ENDPOINT: 'on' } });
    connection = await Connection.connect({ address: testServices().temporalAddress });
    plainClient = new Client({ connection }); // no codec: what anyone exporting a history sees
    const { realmId } = await system.newCompany();
    const doc = invoiceDocument(realmId);
    doc.customer.displayName = secrets.name;
    doc.customer.email = secrets.email;
    doc.customer.billingAddress = { line1: secrets.street, city: secrets.city, country: 'US' };
    syncId = await enqueue(system, doc);
    await waitForState(system, syncId, 'completed');
    const history = await plainClient.workflow.getHandle(syncId).fetchHistory();
    exported = historyToJSON(history);
    payloads = payloadsOf(JSON.parse(exported));
  });
  after(async () => {
    await system?.stop();
    await connection?.close();
  });

  it('exports a history whose every payload is encrypted and that names no customer detail', () => {
    assert.ok(payloads.length >= 5, `the history carries payloads (${payloads.length})`);
    for (const p of payloads) assert.equal(encodingOf(p), 'binary/encrypted');
    // Every payload's bytes, search attributes included, as well as the JSON itself.
    const everything = exported + payloadsOf(JSON.parse(exported), true).map(text).join('\n');
    for (const [what, value] of Object.entries(secrets))
      assert.ok(!everything.includes(value), `the customer's ${what} is not in the exported history`);
  });

  it('reads them with the codec, in process and through the API the Temporal UI calls', async () => {
    const codec = createPayloadCodec(loadConfig({}).payloadKeys);
    const decoded = await codec.decode(
      payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
        ),
        data: Buffer.from(p.data ?? '', 'base64'),
      })),
    );
    const clear = decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    for (const [what, value] of Object.entries(secrets)) assert.ok(clear.includes(value), `${what} decoded`);

    const ui = 'http://localhost:8233';
    const call = (headers: Record<string, string>) =>
      fetch(`${system.apiUrl}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
        body: JSON.stringify({ payloads }),
      });
    const fromUi = await call({ origin: ui });
    assert.equal(fromUi.status, 200);
    assert.equal(fromUi.headers.get('access-control-allow-origin'), ui);
    const body = (await fromUi.json()) as { payloads: JsonPayload[] };
    const viaApi = body.payloads.map(text).join('\n');
    for (const [what, value] of Object.entries(secrets))
      assert.ok(viaApi.includes(value), `${what} via /codec`);

    const preflight = await fetch(`${system.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: ui,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    assert.ok(preflight.status < 300, `preflight ${preflight.status}`);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ui);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/i);

    assert.equal((await call({ authorization: `Bearer ${system.adminKey}` })).status, 200, 'admin key');
    assert.equal((await call({ origin: 'http://evil.example' })).status, 403, 'another origin');
    assert.equal((await call({})).status, 401, 'no key, no browser');
    assert.equal((await call({ authorization: `Bearer ${system.sourceKey}` })).status, 401, 'source key');
  });

  it('replays the encrypted history on the current workflow code with the codec', async () => {
    const history = await plainClient.workflow.getHandle(syncId).fetchHistory();
    await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: testServices().workflowBundlePath },
        dataConverter: payloadDataConverter(loadConfig({}).payloadKeys),
        replayName: 'encrypted',
      },
      history,
    );
  });
});
