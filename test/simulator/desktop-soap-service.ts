import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SOAP call the test service received. */
export interface ReceivedCall {
  method: string;
  soapAction?: string;
  contentType?: string;
  params: Record<string, string>;
}

/** How the test service answers one call: a result, a SOAP Fault (HTTP 500), or a raw body and status. */
export type Answer = { result?: string | string[] } | { fault: string } | { status: number; raw: string };

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: false });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

function envelope(body: unknown): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
        'soap:Body': body,
      },
    })
  );
}

/**
 * A tiny QBWC web service for tests, over real HTTP: reads the SOAP 1.1 request, records it, and answers with
 * `answer(method, params)` wrapped as `<{method}Response xmlns="http://developer.intuit.com/"><{method}Result>`.
 */
export async function startSoapService(answer: (call: ReceivedCall) => Answer | Promise<Answer>) {
  const calls: ReceivedCall[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      void (async () => {
        const body = parser.parse(text)?.Envelope?.Body ?? {};
        const method = Object.keys(body).find((k) => !k.startsWith('#')) ?? '';
        const raw = body[method];
        const params = Object.fromEntries(
          Object.entries(typeof raw === 'object' && raw ? raw : {}).filter(([k]) => !k.startsWith('#')),
        ) as Record<string, string>;
        const call: ReceivedCall = {
          method,
          soapAction: req.headers.soapaction as string | undefined,
          contentType: req.headers['content-type'],
          params,
        };
        calls.push(call);
        const reply = await answer(call);
        if ('raw' in reply) {
          res.writeHead(reply.status, { 'content-type': 'text/xml; charset=utf-8' }).end(reply.raw);
        } else if ('fault' in reply) {
          res
            .writeHead(500, { 'content-type': 'text/xml; charset=utf-8' })
            .end(envelope({ 'soap:Fault': { faultcode: 'soap:Server', faultstring: reply.fault } }));
        } else {
          const result =
            reply.result === undefined
              ? {}
              : Array.isArray(reply.result)
                ? { [`${method}Result`]: { string: reply.result } }
                : { [`${method}Result`]: reply.result };
          res
            .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
            .end(
              envelope({ [`${method}Response`]: { '@_xmlns': 'http://developer.intuit.com/', ...result } }),
            );
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/qbwc`,
    calls,
    methods: () => calls.map((c) => c.method),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A minimal well-behaved QBWC service: one user, a FIFO of qbXML requests handed out in order, percent done
 * from the queue, -1 when a response carries an hresult (getLastError then says it), bad tickets refused.
 */
export function queueService(options: {
  username: string;
  password: string;
  requests: string[];
  companyFile?: string;
}) {
  const ticket = 'ticket-1';
  const responses: { response: string; hresult: string; message: string }[] = [];
  let lastError = '';
  let sent = 0;
  const total = options.requests.length;
  const answer = ({ method, params }: ReceivedCall): Answer => {
    switch (method) {
      case 'serverVersion':
        return { result: '1.0' };
      case 'clientVersion':
        return { result: '' };
      case 'authenticate':
        if (params.strUserName !== options.username || params.strPassword !== options.password)
          return { result: ['', 'nvu'] };
        return { result: sent < total ? [ticket, options.companyFile ?? ''] : ['', 'none'] };
      case 'sendRequestXML':
        if (params.ticket !== ticket) {
          lastError = 'unknown ticket';
          return { result: '' };
        }
        return { result: options.requests[sent] ?? '' };
      case 'receiveResponseXML':
        responses.push({
          response: params.response ?? '',
          hresult: params.hresult ?? '',
          message: params.message ?? '',
        });
        if (params.hresult) {
          lastError = params.message;
          return { result: '-1' };
        }
        sent += 1;
        return { result: String(Math.round((sent / total) * 100)) };
      case 'getLastError':
        return { result: lastError };
      case 'closeConnection':
        return { result: 'OK' };
      default:
        return { fault: `unknown method ${method}` };
    }
  };
  return { answer, responses };
}
