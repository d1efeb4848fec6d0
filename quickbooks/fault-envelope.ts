import { XMLParser } from 'fast-xml-parser';

/** One QuickBooks Error entry, whatever envelope it came in. */
export interface RawError {
  code: string;
  message: string;
  detail: string;
  element: string;
}

/** What a response body says, once the envelope is taken off. */
export interface ParsedBody {
  /** The parsed body (JSON or XML as an object), or undefined for text/HTML/empty bodies. */
  data?: unknown;
  /** Fault entries found in the body (empty when there is no Fault). */
  errors: RawError[];
  faultType?: string;
  /** A short plain-text rendering of a non-JSON, non-XML body (gateway error pages). */
  text?: string;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  textNodeName: '#text',
});

/**
 * Takes a QuickBooks response body apart: JSON (`Fault/Error/Message` or the gateway's lower-case
 * `fault/error/message`), XML (`IntuitResponse/Fault`), batch items (`{bId, Fault}`), plain text or HTML.
 * Accepts strings, Buffers and already-parsed objects. Never throws.
 */
export function parseBody(body: unknown): ParsedBody {
  if (body == null) return { errors: [] };
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
  if (typeof body === 'string') return parseText(body);
  if (typeof body === 'object') return { data: body, ...faultOf(body) };
  return { errors: [], text: String(body) };
}

function parseText(raw: string): ParsedBody {
  const s = raw.trim();
  if (!s) return { errors: [] };
  if (s.startsWith('{') || s.startsWith('[')) {
    try {
      const data: unknown = JSON.parse(s);
      return { data, ...faultOf(data) };
    } catch {
      return { errors: [], text: toPlainText(s) };
    }
  }
  if (s.startsWith('<') && /<(\w+:)?(IntuitResponse|Fault)\b/.test(s)) {
    try {
      const data = xml.parse(s) as Record<string, unknown>;
      return { data, ...faultOf(data) };
    } catch {
      // Fall through to text: a broken XML body still says something.
    }
  }
  return { errors: [], text: toPlainText(s) };
}

/** Finds the Fault in a parsed body, at any of the places QuickBooks puts it. */
export function faultOf(data: unknown): { errors: RawError[]; faultType?: string } {
  const obj = asRecord(data);
  if (!obj) return { errors: [] };
  const fault =
    asRecord(pick(obj, 'Fault')) ??
    asRecord(pick(asRecord(pick(obj, 'IntuitResponse')) ?? {}, 'Fault')) ??
    batchFault(obj);
  if (!fault) return { errors: [] };
  const entries = toArray(pick(fault, 'Error'));
  const errors = entries.map(toRawError).filter((e): e is RawError => e !== undefined);
  const type = pick(fault, 'type');
  return { errors, faultType: typeof type === 'string' ? type : undefined };
}

function batchFault(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const items = toArray(pick(obj, 'BatchItemResponse'));
  for (const item of items) {
    const f = asRecord(pick(asRecord(item) ?? {}, 'Fault'));
    if (f) return f;
  }
  return undefined;
}

export function toRawError(e: unknown): RawError | undefined {
  const r = asRecord(e);
  if (!r) return typeof e === 'string' ? { code: '', message: e, detail: '', element: '' } : undefined;
  return {
    code: str(pick(r, 'code')),
    message: str(pick(r, 'Message')),
    detail: str(pick(r, 'Detail')),
    element: str(pick(r, 'element')),
  };
}

/** Case-insensitive property access: QuickBooks uses both `Fault` and `fault`. */
export function pick(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function toArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const text = asRecord(v)?.['#text'];
  return typeof text === 'string' ? text : '';
}

/** Strips tags and squeezes whitespace so an HTML error page reads as one short line. */
export function toPlainText(s: string, max = 300): string {
  const text = s
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
