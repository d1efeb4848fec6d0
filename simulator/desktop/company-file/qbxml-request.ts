import { XMLParser } from 'fast-xml-parser';
import { PARSE_ERROR } from './status';

/** A plain object view of one element: child elements by name (repeated ones as arrays), text as strings. */
export type Element = { [name: string]: string | Element | (string | Element)[] };

/** One `…Rq` element of a message set, in document order. */
export interface QbRequest {
  /** The element name without `Rq`, e.g. `InvoiceAdd`. */
  name: string;
  requestID?: string;
  attributes: Record<string, string>;
  body: Element;
}

export interface QbRequestSet {
  version: string;
  onError: 'stopOnError' | 'continueOnError' | 'rollbackOnError';
  requests: QbRequest[];
}

/** What the request processor throws instead of answering: QBWC hands it to `receiveResponseXML` as hresult. */
export class QbxmlParseError extends Error {
  readonly hresult = PARSE_ERROR.hresult;
  constructor(readonly detail: string) {
    super(PARSE_ERROR.message);
  }
}

const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type OrderedNode = { [key: string]: OrderedNode[] | string | Record<string, string> | undefined };

const tagOf = (node: OrderedNode) => Object.keys(node).find((k) => k !== ':@');
const attrsOf = (node: OrderedNode) => (node[':@'] as Record<string, string> | undefined) ?? {};

function plain(children: OrderedNode[]): Element | string {
  const texts = children.filter((c) => tagOf(c) === '#text');
  const elements = children.filter((c) => tagOf(c) !== '#text');
  if (elements.length === 0) return texts.map((t) => String(t['#text'])).join('');
  const out: Element = {};
  for (const child of elements) {
    const tag = tagOf(child)!;
    const value = plain(child[tag] as OrderedNode[]);
    const existing = out[tag];
    if (existing === undefined) out[tag] = value;
    else out[tag] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * Reads a qbXML request message set as QuickBooks' request processor does. Anything that is not well-formed
 * qbXML with a `<?qbxml version?>` instruction, a `QBXML/QBXMLMsgsRq` with an `onError` attribute and only
 * `…Rq` children throws {@link QbxmlParseError} (HRESULT 0x80040400), the way the processor refuses a stream.
 */
export function parseRequestSet(text: string): QbRequestSet {
  let nodes: OrderedNode[];
  try {
    nodes = ordered.parse(text, true) as OrderedNode[];
  } catch (err) {
    throw new QbxmlParseError(`not well-formed XML: ${(err as Error).message}`);
  }
  const pi = nodes.find((n) => tagOf(n) === '?qbxml');
  const version = attrsOf(pi ?? {}).version;
  if (!version || !/^\d+\.\d+$/.test(version)) throw new QbxmlParseError('missing <?qbxml version="…"?>');
  const root = nodes.find((n) => tagOf(n) === 'QBXML');
  if (!root) throw new QbxmlParseError('no QBXML root element');
  const msgs = (root.QBXML as OrderedNode[]).filter((n) => tagOf(n) !== '#text');
  const msgsRq = msgs.find((n) => tagOf(n) === 'QBXMLMsgsRq');
  if (!msgsRq || msgs.length !== 1) throw new QbxmlParseError('QBXML must hold exactly one QBXMLMsgsRq');
  const onError = attrsOf(msgsRq).onError;
  if (onError !== 'stopOnError' && onError !== 'continueOnError' && onError !== 'rollbackOnError')
    throw new QbxmlParseError('QBXMLMsgsRq needs onError="stopOnError|continueOnError|rollbackOnError"');
  const requests: QbRequest[] = [];
  for (const node of msgsRq.QBXMLMsgsRq as OrderedNode[]) {
    const tag = tagOf(node)!;
    if (tag === '#text') throw new QbxmlParseError('text inside QBXMLMsgsRq');
    if (!tag.endsWith('Rq')) throw new QbxmlParseError(`unexpected element ${tag}`);
    const attributes = attrsOf(node);
    const body = plain(node[tag] as OrderedNode[]);
    requests.push({
      name: tag.slice(0, -2),
      requestID: attributes.requestID,
      attributes,
      body: typeof body === 'string' ? {} : body,
    });
  }
  if (requests.length === 0) throw new QbxmlParseError('QBXMLMsgsRq holds no request');
  return { version, onError, requests };
}

/** A child that may appear once or many times, always as a list. */
export function many(value: Element[keyof Element] | undefined): (string | Element)[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A child that must be a single text value (or absent); a nested element or a repeat is a schema violation. */
export function text(element: Element, name: string): string | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QbxmlParseError(`${name} must be a single text element`);
  return value;
}

/** A child that must be a single element (or absent). */
export function child(element: Element, name: string): Element | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value === '' ? {} : undefined;
  if (Array.isArray(value)) throw new QbxmlParseError(`${name} may appear once`);
  return value;
}

/** A required single text child. */
export function requiredText(element: Element, name: string, where: string): string {
  const value = text(element, name);
  if (value === undefined || value === '') throw new QbxmlParseError(`${where} needs ${name}`);
  return value;
}
