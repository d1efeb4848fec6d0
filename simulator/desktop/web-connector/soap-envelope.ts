import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** The QBWC web service's namespace; every method is document/literal under it. */
export const QBWC_NAMESPACE = 'http://developer.intuit.com/';

export type QbwcMethod =
  | 'serverVersion'
  | 'clientVersion'
  | 'authenticate'
  | 'sendRequestXML'
  | 'receiveResponseXML'
  | 'connectionError'
  | 'getLastError'
  | 'closeConnection';

/** An answer that breaks the QBWC contract (not SOAP, a Fault, no result element, wrong type). */
export class QbwcProtocolError extends Error {}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'string',
});

/**
 * A SOAP 1.1 request body as QBWC (a .NET web-services client) sends it: `soap:Envelope` with the xsi/xsd
 * namespaces, the method element in the Intuit namespace, its parameters in WSDL order, text escaped.
 */
export function buildSoapRequest(method: QbwcMethod, params: [string, string | number][]): string {
  const call: Record<string, unknown> = { '@_xmlns': QBWC_NAMESPACE };
  for (const [name, value] of params) call[name] = String(value);
  const envelope = {
    'soap:Envelope': {
      '@_xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      'soap:Body': { [method]: call },
    },
  };
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build(envelope)}`;
}

/**
 * Reads `<{method}Response><{method}Result>` from a SOAP answer. Returns the text (or, for authenticate, the
 * `string` items); `undefined` when the result element is absent (the WSDL allows it for strings).
 * Throws {@link QbwcProtocolError} for anything else, a SOAP Fault included.
 */
export function parseSoapResponse(method: QbwcMethod, xml: string): string | string[] | undefined {
  let doc: Record<string, any>;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new QbwcProtocolError(`${method}: the answer is not XML (${(err as Error).message})`);
  }
  const body = doc?.Envelope?.Body;
  if (!body || typeof body !== 'object') throw new QbwcProtocolError(`${method}: no soap:Envelope/soap:Body`);
  if (body.Fault) {
    const fault = body.Fault;
    throw new QbwcProtocolError(
      `${method}: SOAP Fault ${fault.faultcode ?? ''} ${fault.faultstring ?? ''}`.trim(),
    );
  }
  const response = body[`${method}Response`];
  if (response === undefined) throw new QbwcProtocolError(`${method}: no ${method}Response element`);
  const result = typeof response === 'object' ? response[`${method}Result`] : undefined;
  if (result === undefined || result === null) return undefined;
  if (method === 'authenticate') {
    if (typeof result !== 'object')
      throw new QbwcProtocolError('authenticate: result is not an ArrayOfString');
    return ((result.string ?? []) as unknown[]).map((item) => {
      const value = textOf(item);
      if (value === undefined) throw new QbwcProtocolError('authenticate: an ArrayOfString item is not text');
      return value;
    });
  }
  if (typeof result === 'object') {
    const value = textOf(result);
    if (value === undefined) throw new QbwcProtocolError(`${method}: result is not text`);
    return value;
  }
  return String(result);
}

/** Text of an element parsed with attributes (`{'#text': …, '@_xsi:type': …}`), or '' for an empty one. */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const keys = Object.keys(node).filter((k) => !k.startsWith('@_'));
    if (keys.length === 0) return '';
    if (keys.length === 1 && keys[0] === '#text') return String((node as Record<string, unknown>)['#text']);
  }
  return undefined;
}
