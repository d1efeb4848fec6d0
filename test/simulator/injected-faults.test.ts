import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { RunningSimulator } from '../../simulator/server';
import { control, createCompany, firstError, startSimulator, type TestCompany } from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const fault = (co: TestCompany, body: object) =>
  control(sim, 'POST', `/_sim/companies/${co.realmId}/faults`, body);
const customers = async (co: TestCompany) =>
  (await control(sim, 'GET', `/_sim/companies/${co.realmId}/records/Customer`)).records;

describe('injected faults', () => {
  it('status: 500 SystemFault JSON, 502/503 HTML, once by default', async () => {
    const co = await createCompany(sim);
    await fault(co, { kind: 'status', status: 500 });
    const r500 = await co.api('GET', '/preferences');
    assert.equal(r500.status, 500);
    assert.equal(r500.body.Fault.type, 'SystemFault');
    assert.equal(firstError(r500.body).code, '10000');
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    await fault(co, { kind: 'status', status: 503, times: 2 });
    const r503 = await co.api('GET', '/preferences');
    assert.equal(r503.status, 503);
    assert.match(r503.text, /<html>/);
    assert.equal((await co.api('GET', '/preferences')).status, 503);
    await fault(co, { kind: 'status', status: 502 });
    assert.equal((await co.api('GET', '/preferences')).status, 502);
  });

  it('throttle: 429 gateway JSON, or 403 with statusCode=403; throttle-xml: XML body despite Accept JSON', async () => {
    const co = await createCompany(sim);
    await fault(co, { kind: 'throttle' });
    const t = await co.api('GET', '/preferences');
    assert.equal(t.status, 429);
    assert.equal(t.body.fault.error[0].code, '3001');
    await fault(co, { kind: 'throttle', status: 403 });
    const t403 = await co.api('GET', '/preferences');
    assert.equal(t403.status, 403);
    assert.match(t403.body.fault.error[0].message, /statusCode=403/);
    await fault(co, { kind: 'throttle-xml' });
    const xml = await co.api('GET', '/preferences');
    assert.equal(xml.status, 429);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml.text);
    assert.equal(parsed.IntuitResponse.Fault.Error['@_code'], '3001');
    assert.match(parsed.IntuitResponse.Fault.Error.Message, /ThrottleExceeded/);
  });

  it('fault-in-200: HTTP 200 carrying a Fault, nothing written', async () => {
    const co = await createCompany(sim);
    await fault(co, { kind: 'fault-in-200', match: { operation: 'create' } });
    const res = await co.api('POST', '/customer', { DisplayName: 'Ghost' });
    assert.equal(res.status, 200);
    assert.ok(res.body.Fault);
    assert.equal((await customers(co)).length, 0);
  });

  it('transient-6000: returns the 6000 unexpected-error fault but commits; a retry with the requestid gets the success', async () => {
    const co = await createCompany(sim);
    await fault(co, { kind: 'transient-6000', match: { entity: 'Customer', operation: 'create' } });
    const res = await co.api('POST', '/customer?requestid=t-1', { DisplayName: 'Saved Anyway' });
    assert.equal(res.status, 400);
    assert.equal(firstError(res.body).code, '6000');
    assert.match(
      firstError(res.body).Detail,
      /An unexpected error occurred while accessing or saving your data/,
    );
    assert.equal((await customers(co)).length, 1);
    const retry = await co.api('POST', '/customer?requestid=t-1', { DisplayName: 'Saved Anyway' });
    assert.equal(retry.status, 200);
    assert.equal((await customers(co)).length, 1);
  });

  it('commit-then-lose: 502 HTML after committing, or the socket is dropped after holding', async () => {
    const co = await createCompany(sim);
    await fault(co, { kind: 'commit-then-lose', lose: '502' });
    const lost = await co.api('POST', '/customer', { DisplayName: 'Lost One' });
    assert.equal(lost.status, 502);
    assert.match(lost.text, /Bad Gateway/);
    assert.equal((await customers(co)).length, 1);
    await fault(co, { kind: 'commit-then-lose', lose: 'timeout', ms: 150 });
    const url = new URL(`${sim.url}/v3/company/${co.realmId}/customer`);
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${co.accessToken}`, 'content-type': 'application/json' },
        },
        (res) => resolve(`status ${res.statusCode}`),
      );
      req.on('error', (err) => resolve(err.message));
      req.end(JSON.stringify({ DisplayName: 'Lost Two' }));
    });
    assert.match(outcome, /socket hang up|ECONNRESET/);
    assert.equal((await customers(co)).length, 2);
  });

  it('latency delays matching requests; match filters; global faults hit every company and clear', async () => {
    const co = await createCompany(sim);
    await fault(co, {
      kind: 'latency',
      minMs: 120,
      maxMs: 150,
      match: { method: 'GET', entity: 'preferences' },
    });
    let started = Date.now();
    await co.api('GET', '/preferences');
    assert.ok(Date.now() - started >= 115);
    started = Date.now();
    await co.api('GET', '/companyinfo/' + co.realmId);
    assert.ok(Date.now() - started < 100);
    await control(sim, 'DELETE', `/_sim/companies/${co.realmId}/faults`);
    const other = await createCompany(sim);
    await control(sim, 'POST', '/_sim/faults', { kind: 'status', status: 503, times: 2 });
    assert.equal((await co.api('GET', '/preferences')).status, 503);
    assert.equal((await other.api('GET', '/preferences')).status, 503);
    assert.equal((await other.api('GET', '/preferences')).status, 200);
    await control(sim, 'POST', '/_sim/faults', { kind: 'status', status: 500, probability: 0 });
    assert.equal((await co.api('GET', '/preferences')).status, 200);
    await control(sim, 'DELETE', '/_sim/faults');
  });
});
