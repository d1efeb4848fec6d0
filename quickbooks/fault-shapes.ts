import {
  asRecord,
  faultOf,
  parseBody,
  pick,
  str,
  toArray,
  toRawError,
  type RawError,
} from './fault-envelope';

/**
 * Finds QuickBooks errors in the shapes its SDKs and integrators pass them on, once the plain envelopes
 * (fault-envelope.ts) found none: a bare `Fault.Error` array or a list of error objects; exception-style
 * fields (`{error_code, message, detail}`, `{code, Message, Detail}`, `{errors: […]}`); the error nested
 * under `response.data`, `body`, `json`, `innerExceptions`…; JSON or XML inside a string; OAuth token-endpoint
 * bodies (`{"error": "invalid_grant"}`); and texts as SDKs render them (the PHP SDK's "The Intuit Error Code
 * is: …", .NET's "Validation Exception was thrown. Details: …", Python's repr of the error list,
 * "<Message>: <Detail>"). Never throws; bounded in depth and text length, whatever the input.
 */
export interface LooseFault {
  errors: RawError[];
  faultType?: string;
}

const maxDepth = 8;
const maxText = 20_000;
const maxItems = 50;

/** Where integrators and SDK wrappers nest the response they got (matched case-insensitively). */
const nestedKeys = [
  'response',
  'data',
  'body',
  'json',
  'error',
  'errors',
  'fault',
  'cause',
  'innerException',
  'innerExceptions',
  'originalMessage',
  'providerMessage',
  'authResponse',
  'errorMessage',
  'message',
  'detail',
];

export function looseFault(value: unknown): LooseFault {
  const found: LooseFault = { errors: [] };
  visit(value, 0, found);
  return found;
}

function visit(value: unknown, depth: number, found: LooseFault): void {
  if (depth > maxDepth || value === null || value === undefined) return;
  if (typeof value === 'string') return visitText(value, depth, found);
  if (Array.isArray(value)) {
    for (const item of value.slice(0, maxItems)) visit(item, depth + 1, found);
    return;
  }
  const r = asRecord(value);
  if (!r) return;

  const envelope = faultOf(r);
  if (envelope.errors.length) return add(found, envelope.errors, envelope.faultType);

  // The Fault's contents without the wrapper: {Error: [...], type}.
  const inner = pick(r, 'Error');
  if (inner && typeof inner === 'object') {
    const errors = toArray(inner).slice(0, maxItems).map(toRawError).filter(isSomething);
    if (errors.length) return add(found, errors, str(pick(r, 'type')) || undefined);
  }

  // An OAuth token-endpoint body: the error code decides, whatever error_description says.
  const oauth = pick(r, 'error');
  if (typeof oauth === 'string' && /^[a-z_]{3,40}$/.test(oauth)) {
    const description = str(pick(r, 'error_description'));
    return add(found, [{ code: oauth, message: description || oauth, detail: '', element: '' }]);
  }

  // Nested structures first (a string field counts only when it holds JSON or XML): they carry the code.
  const before = found.errors.length;
  for (const key of nestedKeys) {
    const nested = pick(r, key);
    if (nested === undefined || nested === value) continue;
    if (typeof nested === 'string' && !/[{[<]/.test(nested)) {
      // A plain string counts when it names a code: "2500 - Invalid Reference Id - …".
      const rendered = renderedError(nested.slice(0, maxText));
      if (rendered?.code) add(found, [rendered]);
      continue;
    }
    visit(nested, depth + 1, found);
  }
  if (found.errors.length > before) return;

  const fields = exceptionFields(r);
  if (fields) add(found, [fields]);
}

/** `{error_code, message, detail}`, `{code, Message, Detail}`, `{errorCode, errorMessage}` and the like. */
function exceptionFields(r: Record<string, unknown>): RawError | undefined {
  const first = (...keys: string[]) => keys.map((k) => str(pick(r, k))).find((v) => v.trim() !== '') ?? '';
  const code = first('code', 'error_code', 'errorCode', 'ErrorCode');
  const message = first('Message', 'errorMessage', 'error_message', 'title', 'reason');
  const detail = first('Detail', 'Details', 'description', 'error_description', 'errorDetail');
  if (!message && !detail) return undefined;
  return { code, message, detail, element: first('element', 'field') };
}

function visitText(raw: string, depth: number, found: LooseFault): void {
  const s = raw.slice(0, maxText).trim();
  if (!s) return;
  const before = found.errors.length;

  for (const candidate of embeddedJson(s)) {
    visit(candidate, depth + 1, found);
    if (found.errors.length > before) return;
  }
  const xmlAt = s.search(/<(\?xml|(\w+:)?IntuitResponse\b|(\w+:)?Fault\b)/);
  if (xmlAt >= 0) {
    const parsed = parseBody(s.slice(xmlAt));
    if (parsed.errors.length) return add(found, parsed.errors, parsed.faultType);
  }
  const rendered = renderedError(s);
  if (rendered) add(found, [rendered]);
}

/** JSON that a string holds whole, or embeds after a prefix ("Body: [{…}]", "error message: b'{…}'"). */
function embeddedJson(s: string): unknown[] {
  const out: unknown[] = [];
  const tries: string[] = [];
  if (/^[[{]/.test(s)) tries.push(s);
  const brace = s.indexOf('{');
  const bracket = s.indexOf('[');
  if (brace >= 0) tries.push(s.slice(brace, s.lastIndexOf('}') + 1));
  if (bracket >= 0 && (brace < 0 || bracket < brace)) tries.push(s.slice(bracket, s.lastIndexOf(']') + 1));
  for (const t of tries) {
    if (t.length < 2) continue;
    const parsed = tryJson(t) ?? (t.includes('\\"') ? tryJson(t.replace(/\\"/g, '"')) : undefined);
    if (parsed !== undefined && typeof parsed === 'object') out.push(parsed);
  }
  return out;
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** One error read from a text rendering, or undefined when the text has none of the known layouts. */
function renderedError(s: string): RawError | undefined {
  const label = (re: RegExp) => re.exec(s)?.[1]?.trim() ?? '';

  // The PHP SDK: "The Intuit Error Code is: 6000 \n The Intuit Error Message is: … \n The Intuit Error Detail is: …"
  const phpCode = label(/Intuit Error Code is:\s*([\w-]+)/i) || label(/IntuitErrorCode:\{([^}]*)\}/i);
  if (phpCode) {
    return {
      code: phpCode,
      message: label(/Intuit Error Message is:\s*([^\n]*)/i) || label(/IntuitErrorMessage:\{([^}]*)\}/i),
      detail: label(/Intuit Error Detail is:\s*([^\n]*)/i) || label(/IntuitErrorDetail:\{([^}]*)\}/i),
      element: label(/IntuitErrorElement:\{([^}]*)\}/i),
    };
  }

  // Python's repr of the error list: [{'Message': '…', 'Detail': "…", 'code': '5010', 'element': ''}]
  const reprCode = label(/['"]code['"]\s*:\s*u?['"]([^'"]*)['"]/);
  const reprMessage = quoted(s, 'Message');
  if (reprCode || reprMessage) {
    return { code: reprCode, message: reprMessage, detail: quoted(s, 'Detail'), element: '' };
  }

  // Logged OAuth errors: "{httpStatus=400,error=invalid_grant,description=…}".
  const oauth = label(/\berror=([a-z_]{3,40})\b/);
  if (oauth) return { code: oauth, message: label(/\bdescription=([^,}]*)/), detail: '', element: '' };

  // The .NET SDK: "Validation Exception was thrown. Details: <Message> : <Detail>".
  const dotnet = /(\w+ Exception) was thrown\.?\s*Details:\s*([\s\S]*)/i.exec(s);
  if (dotnet) return { code: codeIn(s), message: dotnet[1], detail: dotnet[2].trim(), element: '' };

  // "<Message>: <Detail>", as most SDKs print a fault; or a bare code ("Error 2500: …", "(code: 2500)").
  const colon = /^([^:\n]{3,120}):\s+([\s\S]+)$/.exec(s);
  const code = codeIn(s);
  if (colon) return { code, message: colon[1].trim(), detail: colon[2].trim(), element: '' };
  if (code) return { code, message: s, detail: '', element: '' };
  return undefined;
}

function quoted(s: string, key: string): string {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*u?(['"])((?:(?!\\1).)*)\\1`).exec(s);
  return m?.[2] ?? '';
}

function codeIn(s: string): string {
  return (
    /\bcode\s*[:=]\s*['"]?(\d{3,6})\b/i.exec(s)?.[1] ??
    /^Error (\d{3,6})\b/i.exec(s)?.[1] ??
    /^(\d{3,6}) - /.exec(s)?.[1] ??
    /\berrorCode=0*(\d{1,6})\b/.exec(s)?.[1] ??
    ''
  );
}

function add(found: LooseFault, errors: RawError[], faultType?: string): void {
  found.errors.push(...errors);
  if (!found.faultType && faultType) found.faultType = faultType;
}

function isSomething(e: RawError | undefined): e is RawError {
  return e !== undefined && (e.code !== '' || e.message !== '' || e.detail !== '');
}
