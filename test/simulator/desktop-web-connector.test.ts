import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import {
  createDesktopCompany,
  customerAdd,
  invoiceAdd,
  qbxmlSet,
  seedDesktop,
  type DesktopTestCompany,
} from './desktop-client';
import { queueService, startSoapService, type Answer, type ReceivedCall } from './desktop-soap-service';
import { control, startSimulator } from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const USER = { username: 'acme-books', password: 's3cret pass' };
const services: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of services) await s.close();
});

async function serve(answer: (call: ReceivedCall) => Answer | Promise<Answer>) {
  const service = await startSoapService(answer);
  services.push(service);
  return service;
}

async function connect(co: DesktopTestCompany, appUrl: string, extra: Record<string, unknown> = {}) {
  await control(sim, 'PUT', co.path('/connector'), { appUrl, ...USER, ...extra });
}

const poll = (co: DesktopTestCompany) => control(sim, 'POST', co.path('/connector/poll'));

/** A service that answers the handshake and then whatever `rest` says. */
function scripted(rest: (call: ReceivedCall) => Answer | undefined): (call: ReceivedCall) => Answer {
  return (call) => {
    const own = rest(call);
    if (own) return own;
    if (call.method === 'serverVersion') return { result: '1.0' };
    if (call.method === 'clientVersion') return { result: '' };
    if (call.method === 'authenticate') return { result: ['T-1', ''] };
    if (call.method === 'getLastError') return { result: 'the server says why' };
    if (call.method === 'closeConnection') return { result: 'OK' };
    return { fault: `unscripted ${call.method}` };
  };
}

describe('Web Connector player: sessions over SOAP', () => {
  it('plays a whole session like QBWC: handshake, requests to the company file, responses back, close', async () => {
    const co = await createDesktopCompany(sim, { name: 'Player Co' });
    const queue = queueService({
      ...USER,
      requests: [
        qbxmlSet(
          customerAdd('Acme', 'c1') +
            '<ItemServiceAddRq requestID="i1"><ItemServiceAdd><Name>Consulting</Name><SalesOrPurchase><Price>100</Price><AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>',
        ),
        qbxmlSet(invoiceAdd('Acme', 'Consulting', { ref: 'INV-1' })),
      ],
    });
    const service = await serve(queue.answer);
    await connect(co, service.url);
    const session = await poll(co);
    assert.equal(session.outcome, 'done', JSON.stringify(session.errors));
    assert.deepEqual(service.methods(), [
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    for (const call of service.calls) {
      assert.equal(call.soapAction, `"http://developer.intuit.com/${call.method}"`);
      assert.equal(call.contentType, 'text/xml; charset=utf-8');
    }
    const [, clientVersion, authenticate, firstSend, , secondSend] = service.calls;
    assert.equal(clientVersion.params.strVersion, '2.3.0.215');
    assert.deepEqual(authenticate.params, { strUserName: USER.username, strPassword: USER.password });
    assert.equal(firstSend.params.ticket, 'ticket-1');
    assert.match(firstSend.params.strHCPResponse, /<HostQueryRs requestID="0" statusCode="0"/);
    assert.match(firstSend.params.strHCPResponse, /<CompanyName>Player Co<\/CompanyName>/);
    assert.deepEqual(
      [
        firstSend.params.strCompanyFileName,
        firstSend.params.qbXMLCountry,
        firstSend.params.qbXMLMajorVers,
        firstSend.params.qbXMLMinorVers,
      ],
      [co.filePath, 'US', '13', '0'],
    );
    assert.equal(secondSend.params.strHCPResponse ?? '', '');
    assert.match(
      queue.responses[0].response,
      /<CustomerAddRs requestID="c1" statusCode="0" statusSeverity="Info"/,
    );
    assert.match(queue.responses[1].response, /<InvoiceAddRs requestID="1" statusCode="0"/);
    assert.deepEqual(
      session.requests.map((r: any) => [r.request, r.statusCode]),
      [
        ['CustomerAdd', 0],
        ['ItemServiceAdd', 0],
        ['InvoiceAdd', 0],
      ],
    );
    assert.equal((await co.records('invoices'))[0].RefNumber, 'INV-1');
    assert.ok(!JSON.stringify(session).includes(USER.password), 'the password is never in a transcript');
    // Nothing left: the next session ends at authenticate with "none".
    const idle = await poll(co);
    assert.equal(idle.outcome, 'none');
    assert.deepEqual(service.methods().slice(8), ['serverVersion', 'clientVersion', 'authenticate']);
  });

  it('"nvu" (wrong password) ends the session after authenticate; "none" too', async () => {
    const co = await createDesktopCompany(sim);
    const queue = queueService({ ...USER, requests: [qbxmlSet(customerAdd('X'))] });
    const service = await serve(queue.answer);
    await connect(co, service.url, { password: 'wrong' });
    const session = await poll(co);
    assert.equal(session.outcome, 'nvu');
    assert.deepEqual(service.methods(), ['serverVersion', 'clientVersion', 'authenticate']);
    assert.equal((await co.records('customers')).length, 0);
  });

  it('a company file path other than the open one → connectionError with the ticket; "done" ends it', async () => {
    const co = await createDesktopCompany(sim);
    const service = await serve(
      scripted((call) => {
        if (call.method === 'authenticate') return { result: ['T-1', 'C:\\Other\\Elsewhere.QBW'] };
        if (call.method === 'connectionError') return { result: 'done' };
        return undefined;
      }),
    );
    await connect(co, service.url);
    const session = await poll(co);
    assert.equal(session.outcome, 'connection-error');
    assert.deepEqual(service.methods().slice(2), ['authenticate', 'connectionError']);
    const last = service.calls.at(-1)!;
    assert.equal(last.params.ticket, 'T-1');
    assert.equal(last.params.hresult, '0x80040408');
    // Naming the open file (any case) is fine.
    const sameFile = await serve(
      scripted((call) => {
        if (call.method === 'authenticate') return { result: ['T-2', co.filePath.toUpperCase()] };
        if (call.method === 'sendRequestXML') return { result: qbxmlSet('<CustomerQueryRq/>') };
        if (call.method === 'receiveResponseXML') return { result: '100' };
        return undefined;
      }),
    );
    await connect(co, sameFile.url);
    assert.equal((await poll(co)).outcome, 'done');
  });

  it('-1 from receiveResponseXML, or "" from sendRequestXML → getLastError, then closeConnection', async () => {
    const co = await createDesktopCompany(sim);
    const minusOne = await serve(
      scripted((call) => {
        if (call.method === 'sendRequestXML') return { result: qbxmlSet(customerAdd('Once')) };
        if (call.method === 'receiveResponseXML') return { result: '-1' };
        return undefined;
      }),
    );
    await connect(co, minusOne.url);
    const first = await poll(co);
    assert.equal(first.outcome, 'server-error');
    assert.deepEqual(minusOne.methods().slice(3), [
      'sendRequestXML',
      'receiveResponseXML',
      'getLastError',
      'closeConnection',
    ]);
    assert.ok(first.errors.includes('getLastError: the server says why'));
    const empty = await serve(
      scripted((call) => (call.method === 'sendRequestXML' ? { result: '' } : undefined)),
    );
    await connect(co, empty.url);
    const second = await poll(co);
    assert.equal(second.outcome, 'server-error');
    assert.deepEqual(empty.methods().slice(3), ['sendRequestXML', 'getLastError', 'closeConnection']);
  });

  it('qbXML the request processor cannot parse goes back as hresult 0x80040400 with an empty response', async () => {
    const co = await createDesktopCompany(sim);
    const queue = queueService({ ...USER, requests: ['<QBXML>no processing instruction</QBXML>'] });
    const service = await serve(queue.answer);
    await connect(co, service.url);
    const session = await poll(co);
    assert.equal(session.outcome, 'server-error');
    assert.deepEqual(queue.responses[0], {
      response: '',
      hresult: '0x80040400',
      message: 'QuickBooks found an error when parsing the provided XML text stream.',
    });
  });

  it('validates what the server answers: anything outside the QBWC contract ends the session as protocol-error', async () => {
    const co = await createDesktopCompany(sim);
    const cases: [string, (call: ReceivedCall) => Answer | undefined, string][] = [
      [
        'SOAP Fault on authenticate',
        (c) => (c.method === 'authenticate' ? { fault: 'boom' } : undefined),
        'authenticate',
      ],
      [
        'one string from authenticate',
        (c) => (c.method === 'authenticate' ? { result: ['T-1'] } : undefined),
        'authenticate',
      ],
      [
        'empty ticket, no status',
        (c) => (c.method === 'authenticate' ? { result: ['', ''] } : undefined),
        'authenticate',
      ],
      [
        'non-integer percent',
        (c) =>
          c.method === 'sendRequestXML'
            ? { result: qbxmlSet('<CustomerQueryRq/>') }
            : c.method === 'receiveResponseXML'
              ? { result: 'lots' }
              : undefined,
        'receiveResponseXML',
      ],
      [
        'percent above 100',
        (c) =>
          c.method === 'sendRequestXML'
            ? { result: qbxmlSet('<CustomerQueryRq/>') }
            : c.method === 'receiveResponseXML'
              ? { result: '150' }
              : undefined,
        'receiveResponseXML',
      ],
      [
        'not SOAP',
        (c) => (c.method === 'authenticate' ? { status: 200, raw: '<html>hi</html>' } : undefined),
        'authenticate',
      ],
      [
        'HTTP 404',
        (c) => (c.method === 'sendRequestXML' ? { status: 404, raw: 'Not Found' } : undefined),
        'sendRequestXML',
      ],
    ];
    for (const [label, rest, lastMethod] of cases) {
      const service = await serve(scripted(rest));
      await connect(co, service.url);
      const session = await poll(co);
      assert.equal(session.outcome, 'protocol-error', label);
      assert.equal(service.methods().at(-1), lastMethod, `${label}: no call after the violation`);
      assert.ok(
        service.methods().filter((m) => m === 'sendRequestXML').length <= 1,
        `${label}: one request at most`,
      );
      assert.ok(session.errors.length > 0, label);
      if (label.startsWith('SOAP Fault'))
        assert.match(session.errors.join(' '), /SOAP Fault soap:Server boom/);
    }
  });

  it('serverVersion and clientVersion are optional; "W:" warns and goes on, "E:" refuses the session', async () => {
    const co = await createDesktopCompany(sim);
    const lenient = await serve(
      scripted((c) => {
        if (c.method === 'serverVersion') return { fault: 'not implemented' };
        if (c.method === 'clientVersion') return { result: 'W:please upgrade' };
        if (c.method === 'authenticate') return { result: ['', 'none'] };
        return undefined;
      }),
    );
    await connect(co, lenient.url);
    const ok = await poll(co);
    assert.equal(ok.outcome, 'none');
    assert.ok(ok.errors.some((e: string) => e.includes('please upgrade')));
    const strict = await serve(
      scripted((c) => (c.method === 'clientVersion' ? { result: 'E:too old' } : undefined)),
    );
    await connect(co, strict.url);
    assert.equal((await poll(co)).outcome, 'version-refused');
    assert.deepEqual(strict.methods(), ['serverVersion', 'clientVersion']);
  });

  it('an AppURL nobody listens on is "unreachable"', async () => {
    const co = await createDesktopCompany(sim);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    await connect(co, `http://127.0.0.1:${port}/qbwc`, { timeoutSeconds: 2 });
    assert.equal((await poll(co)).outcome, 'unreachable');
  });
});

describe('Web Connector player: faults, schedule, offline', () => {
  it('drop-session: the company file applied the request, the response never reaches the server', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    const queue = queueService({
      ...USER,
      requests: [qbxmlSet(invoiceAdd('Acme', 'Consulting', { ref: 'DROP-1' }))],
    });
    const service = await serve(queue.answer);
    await connect(co, service.url);
    await control(sim, 'POST', co.path('/faults'), {
      kind: 'drop-session',
      match: { request: 'InvoiceAdd' },
    });
    const dropped = await poll(co);
    assert.equal(dropped.outcome, 'dropped');
    assert.deepEqual(service.methods().slice(-2), ['authenticate', 'sendRequestXML']);
    assert.equal(queue.responses.length, 0);
    assert.deepEqual(
      (await co.records('invoices')).map((i) => i.RefNumber),
      ['DROP-1'],
    );
    // The next session is whole again; the server still believes the request unanswered and sends it again.
    const again = await poll(co);
    assert.equal(again.outcome, 'done');
    assert.equal(
      (await co.records('invoices')).length,
      2,
      'a blind resend creates the duplicate the server must avoid',
    );
  });

  it('bad-ticket: the session carries a ticket the server never issued, and the server refuses it', async () => {
    const co = await createDesktopCompany(sim);
    const queue = queueService({ ...USER, requests: [qbxmlSet(customerAdd('Forged'))] });
    const service = await serve(queue.answer);
    await connect(co, service.url);
    await control(sim, 'POST', co.path('/faults'), { kind: 'bad-ticket' });
    const forged = await poll(co);
    assert.equal(forged.outcome, 'server-error');
    assert.equal(service.calls[3].params.ticket, 'ticket-1-forged');
    assert.ok(forged.errors.includes('getLastError: unknown ticket'));
    assert.equal((await co.records('customers')).length, 0);
    const honest = await poll(co);
    assert.equal(honest.outcome, 'done');
    assert.equal((await co.records('customers')).length, 1);
  });

  it('polls on its schedule; offline it does not poll (409 on poll now); back online it polls at once', async () => {
    const co = await createDesktopCompany(sim);
    const service = await serve(
      scripted((c) => (c.method === 'authenticate' ? { result: ['', 'none'] } : undefined)),
    );
    await connect(co, service.url, { pollSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    const scheduled = service.methods().filter((m) => m === 'authenticate').length;
    assert.ok(scheduled >= 1, `scheduled sessions: ${scheduled}`);
    await control(sim, 'POST', co.path('/connector/offline'));
    const atOffline = service.calls.length;
    const refused = await fetch(`${sim.url}${co.path('/connector/poll')}`, { method: 'POST' });
    assert.equal(refused.status, 409);
    assert.equal((await refused.json()).error.code, 'offline');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(service.calls.length, atOffline, 'no call while offline');
    const back = await control(sim, 'POST', co.path('/connector/online'));
    assert.equal(back.session.outcome, 'none');
    const summary = await control(sim, 'GET', co.path());
    assert.equal(summary.connector.offline, false);
    assert.ok(summary.connector.lastPollAt);
    assert.equal(summary.connector.password, undefined);
    await control(sim, 'PUT', co.path('/connector'), { appUrl: service.url, ...USER });
  });

  it('sessions never overlap: a poll asked for during one starts after it', async () => {
    const co = await createDesktopCompany(sim);
    let open = 0;
    let maxOpen = 0;
    const service = await serve(async (call) => {
      if (call.method === 'serverVersion') {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        await new Promise((r) => setTimeout(r, 150));
        return { result: '1.0' };
      }
      if (call.method === 'clientVersion') return { result: '' };
      open -= 1;
      return { result: ['', 'none'] };
    });
    await connect(co, service.url);
    const sessions = await Promise.all([poll(co), poll(co), poll(co)]);
    assert.deepEqual(
      sessions.map((s) => s.outcome),
      ['none', 'none', 'none'],
    );
    assert.equal(new Set(sessions.map((s) => s.sessionId)).size, 3);
    assert.equal(maxOpen, 1);
    const { sessions: kept } = await control(sim, 'GET', co.path('/sessions'));
    assert.equal(kept.length, 3);
  });
});
