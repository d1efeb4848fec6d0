import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorForLog } from '../../lib/logger';
import { parseSoapCall, soapFault, soapResult, SoapRequestError } from '../../desktop/soap-envelope';
import { createWebConnector } from '../../desktop/web-connector';
import type { ApiDeps } from '../deps';

const xml = { 'content-type': 'text/xml; charset=utf-8' };

/**
 * The QuickBooks Web Connector's SOAP endpoint (POST /qbwc), on the API server: one HTTP surface with the
 * API's limits, timeouts and logs, and the Web Connector's own authentication (username + password per
 * company, then a ticket) instead of API keys. SOAP 1.1, namespace http://developer.intuit.com/.
 *
 * Everything it receives is checked: a body over QBWC_MAX_BODY_BYTES (413), anything that is not a SOAP
 * envelope, an operation QBWC does not have or a parameter that is not text (400) get a SOAP Client fault
 * (SOAP 1.1 would send faults as 500; a refused request is a 4xx here, as everywhere in this API); a bad
 * ticket gets the protocol's own error answer (an empty request, -1, then getLastError explains).
 */
export function createWebConnectorRoutes(deps: ApiDeps) {
  const service = createWebConnector({
    db: deps.db,
    followUpMs: deps.config.QBWC_FOLLOW_UP_MS,
    sessionIdleMs: deps.config.QBWC_SESSION_IDLE_MS,
    version: 'qbo-sync 1.0',
  });
  const operations: Record<
    string,
    (p: Record<string, string>) => Promise<string | number | string[]> | string
  > = {
    serverVersion: () => service.serverVersion(),
    clientVersion: (p) => service.clientVersion(p.strVersion ?? ''),
    authenticate: (p) => service.authenticate(p.strUserName ?? '', p.strPassword ?? ''),
    sendRequestXML: (p) => service.sendRequestXML(p.ticket ?? '', p.strHCPResponse ?? '', p.qbXMLMajorVers),
    receiveResponseXML: (p) =>
      service.receiveResponseXML(p.ticket ?? '', p.response ?? '', p.hresult ?? '', p.message ?? ''),
    connectionError: (p) => service.connectionError(p.ticket ?? '', p.hresult ?? '', p.message ?? ''),
    getLastError: (p) => service.getLastError(p.ticket ?? ''),
    closeConnection: (p) => service.closeConnection(p.ticket ?? ''),
  };

  const app = new Hono();
  app.post(
    '/',
    bodyLimit({
      maxSize: deps.config.QBWC_MAX_BODY_BYTES,
      onError: (c) => c.body(soapFault('Client', 'The request body is too large'), 413, xml),
    }),
    async (c) => {
      let call;
      try {
        call = parseSoapCall(await c.req.text());
      } catch (err) {
        if (err instanceof SoapRequestError) return c.body(soapFault('Client', err.message), 400, xml);
        throw err;
      }
      const handler = Object.hasOwn(operations, call.operation) ? operations[call.operation] : undefined;
      if (!handler)
        return c.body(soapFault('Client', `Unknown operation ${call.operation.slice(0, 60)}`), 400, xml);
      try {
        return c.body(soapResult(call.operation, await handler(call.params)), 200, xml);
      } catch (err) {
        deps.logger.error({ err: errorForLog(err), operation: call.operation }, 'web connector call failed');
        return c.body(
          soapFault('Server', 'qbo-sync could not answer; the Web Connector will try again.'),
          500,
          xml,
        );
      }
    },
  );
  return app;
}
