import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newDesktopCompany } from '../support/desktop';
import { startSystem, type System } from '../support/system';

/** The Web Connector endpoint refuses what it cannot trust with the protocol's answers, never a crash. */
describe('web connector endpoint: authentication and bad input', () => {
  let system: System;
  before(async () => {
    system = await startSystem({ env: { QBWC_MAX_BODY_BYTES: '65536', QBWC_FOLLOW_UP_MS: '0' } });
  });
  after(async () => {
    await system?.stop();
  });

  const envelope = (operation: string, params: Record<string, string>) =>
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><${operation} xmlns="http://developer.intuit.com/">` +
    Object.entries(params)
      .map(([k, v]) => `<${k}>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
      .join('') +
    `</${operation}></soap:Body></soap:Envelope>`;
  const post = async (body: string) => {
    const res = await fetch(`${system.apiUrl}/qbwc`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const call = (operation: string, params: Record<string, string> = {}) => post(envelope(operation, params));
  const strings = (text: string) => [...text.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]);
  const result = (text: string) => /Result>([^<]*)</.exec(text)?.[1];

  it('authenticates per company: the right password gets a ticket, a wrong one or an unknown user "nvu"', async () => {
    const desktop = await newDesktopCompany(system);
    const good = await call('authenticate', { strUserName: desktop.username, strPassword: desktop.password });
    assert.equal(good.status, 200);
    const [ticket, status] = strings(good.text);
    assert.ok(ticket.length >= 40, 'an opaque random ticket');
    assert.equal(status, 'none', 'nothing queued for this company');
    for (const [user, password] of [
      [desktop.username, `${desktop.password}x`],
      ['nobody-at-all', desktop.password],
    ]) {
      const bad = await call('authenticate', { strUserName: user, strPassword: password });
      assert.deepEqual(strings(bad.text), ['', 'nvu']);
    }
    const listed = await system.api('GET', '/v1/desktop-connections', undefined, system.adminKey);
    const mine = listed.body.connections.find((c: any) => c.realmId === desktop.realmId);
    assert.ok(mine.lastPolledAt, 'the poll is recorded');
    assert.doesNotMatch(
      JSON.stringify(listed.body),
      new RegExp(desktop.password),
      'no password or hash in the API',
    );
    assert.doesNotMatch(JSON.stringify(listed.body), /scrypt/);
  });

  it('a ticket it never issued gets the protocol error answers, and getLastError says why', async () => {
    const send = await call('sendRequestXML', {
      ticket: 'forged-ticket',
      strHCPResponse: '',
      qbXMLMajorVers: '13',
    });
    assert.equal(send.status, 200);
    assert.equal(result(send.text) ?? '', '');
    const receive = await call('receiveResponseXML', {
      ticket: 'forged-ticket',
      response: '<QBXML/>',
      hresult: '',
      message: '',
    });
    assert.equal(result(receive.text), '-1');
    const why = await call('getLastError', { ticket: 'forged-ticket' });
    assert.match(result(why.text) ?? '', /does not know this session/);
    assert.equal(result((await call('clientVersion', { strVersion: '2.3.0.215' })).text) ?? '', '');
  });

  it('malformed XML, entity declarations, unknown operations and oversized bodies are SOAP faults, 4xx', async () => {
    const cases: [string, number, RegExp][] = [
      ['<soap:Envelope><soap:Body><authenticate>', 400, /not well-formed|No SOAP/],
      [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><authenticate><strUserName>&a;</strUserName></authenticate></soap:Body></soap:Envelope>',
        400,
        /DOCTYPE/,
      ],
      [envelope('dropDatabase', {}), 400, /Unknown operation/],
      ['not xml at all', 400, /faultstring/],
      [envelope('authenticate', { strUserName: 'x'.repeat(70_000), strPassword: 'y' }), 413, /too large/],
    ];
    for (const [body, status, text] of cases) {
      const res = await post(body);
      assert.equal(res.status, status, body.slice(0, 80));
      assert.match(res.text, /<soap:Fault><faultcode>soap:Client<\/faultcode>/);
      assert.match(res.text, text);
    }
    const nested = await post(
      envelope('authenticate', { strUserName: 'a', strPassword: 'b' }).replace(
        '<strUserName>a</strUserName>',
        '<strUserName><x>a</x></strUserName>',
      ),
    );
    assert.equal(nested.status, 400);
    assert.match(nested.text, /must be text/);
  });
});
