import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import { control, createCompany, invoiceBody, seedCustomerAndItem, startSimulator } from './sim-client';

/** A receiver that records what it was sent and answers with the status the test chooses. */
interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}
let sim: RunningSimulator;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let answer = 200;

before(async () => {
  sim = await startSimulator();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
after(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('change data capture', () => {
  it('returns one QueryResponse per entity, deleted records as stubs, only changes since', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const { body: clock } = { body: await control(sim, 'GET', '/_sim/clock') };
    const created = await co.api('POST', '/invoice', invoiceBody(customerId, itemId));
    assert.equal(created.status, 200, created.text);
    const second = await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 50));
    await control(sim, 'DELETE', `/_sim/companies/${co.realmId}/records/Invoice/${second.body.Invoice.Id}`);

    const res = await co.api(
      'GET',
      `/cdc?entities=Invoice,Customer&changedSince=${encodeURIComponent(clock.now)}`,
    );
    assert.equal(res.status, 200, res.text);
    const [invoices, customers] = res.body.CDCResponse[0].QueryResponse;
    assert.deepEqual(customers, {}, 'the customer did not change since');
    assert.equal(invoices.Invoice.length, 2);
    assert.equal(invoices.Invoice[0].Id, created.body.Invoice.Id);
    assert.equal(invoices.Invoice[0].TotalAmt, 100);
    assert.deepEqual(Object.keys(invoices.Invoice[1]).sort(), ['Id', 'MetaData', 'domain', 'status']);
    assert.equal(invoices.Invoice[1].status, 'Deleted');
    assert.ok(res.body.time, 'the response carries the server time');
  });

  it('refuses a changedSince older than 30 days, and caps a response at 1,000 objects, oldest first', async () => {
    const co = await createCompany(sim);
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const tooOld = await co.api('GET', `/cdc?entities=Customer&changedSince=${encodeURIComponent(old)}`);
    assert.equal(tooOld.status, 400);
    assert.match(tooOld.text, /older than fixed days is not supported/);

    const start = (await control(sim, 'GET', '/_sim/clock')).now;
    for (let i = 0; i < 1005; i++) {
      await control(sim, 'POST', `/_sim/companies/${co.realmId}/records/Customer`, {
        DisplayName: `Bulk ${i}`,
      });
    }
    const full = await co.api('GET', `/cdc?entities=Customer,Item&changedSince=${encodeURIComponent(start)}`);
    const customers = full.body.CDCResponse[0].QueryResponse[0].Customer;
    assert.equal(customers.length, 1000, 'capped across entities, no paging');
    assert.equal(customers[0].DisplayName, 'Bulk 0', 'oldest changes first');
  });
});

describe('webhooks', () => {
  it('signs each POST with base64(HMAC-SHA256(verifier, raw body)) and reports direct edits, voids and deletes (CloudEvents)', async () => {
    received = [];
    answer = 200;
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const invoice = (await co.api('POST', '/invoice', invoiceBody(customerId, itemId))).body.Invoice;
    await control(sim, 'PUT', `/_sim/companies/${co.realmId}/webhooks`, {
      url: receiverUrl,
      verifierToken: 'verifier-1',
      format: 'cloudevents',
      batchDelayMs: 0,
    });
    const base = `/_sim/companies/${co.realmId}/records/Invoice/${invoice.Id}`;
    await control(sim, 'PATCH', base, { PrivateNote: 'called AP, promised Friday' });
    await until(() => received.length === 1);
    await control(sim, 'POST', `${base}/void`);
    await until(() => received.length === 2);
    await control(sim, 'DELETE', base);
    await until(() => received.length === 3);

    const types = received.map((r) => JSON.parse(r.body)[0].type);
    assert.deepEqual(types, ['qbo.invoice.updated.v1', 'qbo.invoice.voided.v1', 'qbo.invoice.deleted.v1']);
    for (const r of received) {
      const expected = createHmac('sha256', 'verifier-1').update(r.body).digest('base64');
      assert.equal(r.headers['intuit-signature'], expected);
      const [event] = JSON.parse(r.body);
      assert.equal(event.specversion, '1.0');
      assert.equal(event.intuitaccountid, co.realmId);
      assert.equal(event.intuitentityid, invoice.Id);
    }
  });

  it('legacy format, retries a batch answered non-2xx with the same body, and duplicates on demand', async () => {
    received = [];
    answer = 500;
    const co = await createCompany(sim);
    await control(sim, 'PUT', `/_sim/companies/${co.realmId}/webhooks`, {
      url: receiverUrl,
      verifierToken: 'verifier-2',
      format: 'legacy',
      batchDelayMs: 0,
      retryDelaysMs: [50],
    });
    await co.api('POST', '/customer', { DisplayName: 'Webhook Legacy' });
    await until(() => received.length >= 2);
    answer = 200;
    let log: any[] = [];
    for (let i = 0; i < 100 && log.at(-1)?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 30));
      log = (await control(sim, 'GET', `/_sim/companies/${co.realmId}/webhooks/deliveries`)).deliveries;
    }
    assert.equal(log.at(-1).status, 200, 'delivered once answered 2xx');
    assert.ok(log.filter((d) => d.status === 500).length >= 2, 'retried after each non-2xx');
    const settled = received.length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(received.length, settled, 'no retry after a 2xx');
    assert.equal(received[0].body, received[1].body, 'a retry re-sends the same batch');
    const payload = JSON.parse(received[0].body);
    const entity = payload.eventNotifications[0].dataChangeEvent.entities[0];
    assert.equal(payload.eventNotifications[0].realmId, co.realmId);
    assert.equal(entity.name, 'Customer');
    assert.equal(entity.operation, 'Create');
    assert.ok(entity.lastUpdated);

    received = [];
    await control(sim, 'PUT', `/_sim/companies/${co.realmId}/webhooks`, {
      url: receiverUrl,
      verifierToken: 'verifier-2',
      format: 'cloudevents',
      batchDelayMs: 0,
      duplicate: true,
    });
    await co.api('POST', '/customer', { DisplayName: 'Webhook Twice' });
    await until(() => received.length === 2);
    assert.equal(received[0].body, received[1].body, 'the same event ids, twice');
  });
});
