import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** The qbXML version we speak (QuickBooks Desktop 2013 and later accept it). */
export const QBXML_VERSION = '13.0';

/** An element tree in qbXML order: keys are element names in the order the schema requires. */
export type QbxmlTree = { [element: string]: QbxmlValue };
export type QbxmlValue = string | number | boolean | QbxmlTree | QbxmlTree[] | undefined;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/**
 * One qbXML request document holding one message, e.g. `request('CustomerAddRq', { CustomerAdd: {…} })`.
 * Undefined fields are left out (the schema rejects empty elements); `stopOnError`: one message per document.
 */
export function qbxmlRequest(
  message: string,
  body: QbxmlTree,
  attributes: Record<string, string> = {},
): string {
  const attrs = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`@_${k}`, v]));
  const tree = {
    QBXML: { QBXMLMsgsRq: { '@_onError': 'stopOnError', [message]: { ...attrs, ...prune(body) } } },
  };
  return `<?xml version="1.0" encoding="utf-8"?><?qbxml version="${QBXML_VERSION}"?>${builder.build(tree)}`;
}

function prune(tree: QbxmlTree): QbxmlTree {
  const out: QbxmlTree = {};
  for (const [k, v] of Object.entries(tree)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) out[k] = v.map(prune);
    else if (typeof v === 'object') {
      const inner = prune(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = typeof v === 'boolean' ? String(v) : v;
  }
  return out;
}

/** A parsed response message: QuickBooks' status and the records it returned (`…Ret` elements). */
export interface QbxmlResponse {
  message: string;
  statusCode: number;
  statusSeverity: string;
  statusMessage: string;
  /** Each `…Ret` element with its element name (CustomerRet, ItemServiceRet, …). */
  records: { type: string; record: Record<string, unknown> }[];
}

/** Elements that may repeat inside a record, always read as lists. */
const repeated = new Set(['InvoiceLineRet', 'AppliedToTxnRet', 'LinkedTxn', 'DataExtRet']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  isArray: (name, jpath) => repeated.has(name) || /^QBXML\.QBXMLMsgsRs\.[^.]+\.[^.]+Ret$/.test(String(jpath)),
});

/**
 * Parses a qbXML response document into its first message. Throws Error for anything that is not one
 * (the caller classifies that as a malformed answer): we trust nothing the Web Connector brings back.
 */
export function parseQbxmlResponse(xml: string): QbxmlResponse {
  const [first] = parseQbxmlMessages(xml);
  if (!first) throw new Error('qbXML response holds no …Rs message');
  return first;
}

/** Every message of a qbXML response document (e.g. the host, company and preferences answers QBWC sends). */
export function parseQbxmlMessages(xml: string): QbxmlResponse[] {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('qbXML response declares a DOCTYPE or entities');
  const doc = parser.parse(xml) as Record<string, any>;
  const msgs = doc?.QBXML?.QBXMLMsgsRs;
  if (!msgs || typeof msgs !== 'object') throw new Error('not a qbXML response (no QBXMLMsgsRs)');
  return Object.keys(msgs)
    .filter((k) => k.endsWith('Rs'))
    .map((message) => {
      const rs = (Array.isArray(msgs[message]) ? msgs[message][0] : msgs[message]) as Record<string, unknown>;
      const statusCode = Number(rs['@_statusCode']);
      if (!Number.isInteger(statusCode)) throw new Error(`${message} has no numeric statusCode`);
      const records: QbxmlResponse['records'] = [];
      for (const [type, value] of Object.entries(rs)) {
        if (!type.endsWith('Ret')) continue;
        for (const record of Array.isArray(value) ? value : [value])
          if (record && typeof record === 'object')
            records.push({ type, record: record as Record<string, unknown> });
      }
      return {
        message,
        statusCode,
        statusSeverity: String(rs['@_statusSeverity'] ?? ''),
        statusMessage: String(rs['@_statusMessage'] ?? ''),
        records,
      };
    });
}
