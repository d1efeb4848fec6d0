import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** The Web Connector service's namespace (QBWC WSDL, SOAP 1.1 document/literal). */
export const QBWC_NAMESPACE = 'http://developer.intuit.com/';

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** One SOAP call: the operation (the Body's element) and its string parameters. */
export interface SoapCall {
  operation: string;
  params: Record<string, string>;
}

/**
 * Reads a SOAP 1.1 request envelope. Throws SoapRequestError for anything else: not XML, a DOCTYPE or
 * entity declarations (no entity expansion, ever), no Envelope/Body, or parameters that are not text.
 */
export function parseSoapCall(xml: string): SoapCall {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new SoapRequestError('DOCTYPE and entity declarations are refused');
  let doc: Record<string, any>;
  try {
    doc = parser.parse(xml, true) as Record<string, any>;
  } catch (err) {
    throw new SoapRequestError(`The body is not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
  const body = doc?.Envelope?.Body;
  if (!body || typeof body !== 'object') throw new SoapRequestError('No SOAP Envelope/Body');
  const [operation] = Object.keys(body);
  if (!operation) throw new SoapRequestError('The SOAP Body names no operation');
  const raw = body[operation];
  const params: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new SoapRequestError(`Parameter ${name} must be text`);
      params[name] = value;
    }
  }
  return { operation, params };
}

/** Thrown for a request that is not a SOAP call we can read (answered with a Client fault). */
export class SoapRequestError extends Error {}

function envelope(body: Record<string, unknown>): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
        'soap:Body': body,
      },
    })
  );
}

/** `<{op}Response xmlns="http://developer.intuit.com/"><{op}Result>…`; a list becomes ArrayOfString. */
export function soapResult(operation: string, result: string | number | string[]): string {
  const value = Array.isArray(result) ? { string: result } : String(result);
  return envelope({
    [`${operation}Response`]: { '@_xmlns': QBWC_NAMESPACE, [`${operation}Result`]: value },
  });
}

/** A SOAP 1.1 Fault: `soap:Client` for a request we refuse, `soap:Server` for our own failure. */
export function soapFault(code: 'Client' | 'Server', message: string): string {
  return envelope({ 'soap:Fault': { faultcode: `soap:${code}`, faultstring: message } });
}
