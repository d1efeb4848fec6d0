import type { ErrorPattern } from '../workflows/contract';
import { patternPolicy } from '../workflows/pattern-policy';
import { parseBody, type RawError } from './fault-envelope';
import { looseFault } from './fault-shapes';
import { policyFields, type ClassifiedFault } from './qbo-fault';
import { businessRule, decisiveText, oauthPattern, readText } from './text-patterns';

/** When a Fault has several Error entries, the most specific one wins (earlier = more specific). */
const specificity: ErrorPattern[] = [
  'closed_period',
  'auth_expired',
  'auth_forbidden',
  'throttled',
  'company_status',
  'duplicate_doc_number',
  'duplicate_name',
  'tax_mismatch',
  'account_mapping',
  'inactive_or_missing_reference',
  'stale_object',
  'invalid_field',
  'transient_server',
  'other',
];

const invalidFieldCodes = new Set(['2020', '2050', '2170', '2210', '6070', '6080', '4000', '4001']);

/**
 * Classifies a QuickBooks response (any status, any envelope: JSON Fault, gateway `fault`, XML, batch item,
 * the shapes SDKs pass faults on in, OAuth token-endpoint bodies, plain text/HTML) into one of the contract's
 * error patterns, with a hint for a person. Never throws.
 * A 200 without a Fault still classifies (as `other`); callers only call this for failures or to check a 200.
 */
export function classifyFault(
  status: number,
  body: unknown,
  headers?: Record<string, string | string[] | undefined>,
): ClassifiedFault {
  const raw = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : body;
  const parsed = parseBody(raw);
  const loose = parsed.errors.length ? undefined : looseFault(raw);
  const errors = loose?.errors ?? parsed.errors;
  const faultType = parsed.faultType ?? loose?.faultType ?? '';
  const candidates = errors.map((e) => ({ e, pattern: classifyError(e, status, faultType) }));
  candidates.sort((a, b) => specificity.indexOf(a.pattern) - specificity.indexOf(b.pattern));
  const best = candidates[0];

  const text = parsed.text ?? '';
  const pattern: ErrorPattern = best?.pattern ?? readText(text) ?? byStatus(status, text);
  const chosen: RawError = best?.e ?? {
    code: status ? String(status) : '',
    message: status ? `HTTP ${status}` : 'No response',
    detail: text,
    element: '',
  };
  const fault: ClassifiedFault = {
    pattern,
    code: normaliseCode(chosen) || String(status),
    message: clip(chosen.message, 500),
    detail: clip(chosen.detail, 1000),
    hint: patternPolicy[pattern].hint,
    status,
    ...policyFields(pattern),
  };
  if (chosen.element) fault.element = clip(chosen.element, 200);
  const tid = header(headers, 'intuit_tid');
  if (tid) fault.intuitTid = tid;
  if (pattern === 'throttled') {
    const after = retryAfterMs(header(headers, 'retry-after'));
    if (after !== undefined) fault.retryAfterMs = after;
  }
  return fault;
}

/** True when a 2xx body is really a failure (a Fault inside HTTP 200, e.g. 6190). */
export function hasFault(body: unknown): boolean {
  return parseBody(body).errors.length > 0;
}

interface Gateway {
  name: string;
  errorCode?: string;
  statusCode?: number;
}

/** Reads `message=AuthenticationFailed; errorCode=003200; statusCode=401` (the gateway envelope). */
function gatewayParts(message: string): Gateway | undefined {
  const m = /message=([^;]*)/i.exec(message);
  if (!m) return undefined;
  const code = /errorCode=(\d+)/i.exec(message)?.[1];
  const statusCode = /statusCode=(\d+)/i.exec(message)?.[1];
  return {
    name: m[1].trim(),
    errorCode: code ? String(Number(code)) : undefined,
    statusCode: statusCode ? Number(statusCode) : undefined,
  };
}

function normaliseCode(e: RawError): string {
  const code = e.code.trim();
  if (code) return /^\d+$/.test(code) ? String(Number(code)) : clip(code, 60);
  return gatewayParts(e.message)?.errorCode ?? '';
}

function classifyError(e: RawError, httpStatus: number, faultType: string): ErrorPattern {
  const code = normaliseCode(e);
  const text = `${e.message} ${e.detail}`;
  const type = faultType.toLowerCase();
  const gateway = gatewayParts(e.message);

  // A token-endpoint error code decides alone: invalid_grant means reconnect, whatever the description says.
  const oauth = oauthPattern(code);
  if (oauth) return oauth;
  // Some texts beat any code: the closed-period message arrives under 6210, 6200 and even 5010.
  const decided = decisiveText(text);
  if (decided) return decided;
  if (code === '3001' || gateway?.statusCode === 429) return 'throttled';
  if (gateway?.statusCode !== undefined) {
    // 3100 also comes as `message=InternalServerError; errorCode=003100; statusCode=500`.
    if (gateway.statusCode >= 500) return 'transient_server';
    if (gateway.statusCode === 401) return 'auth_expired';
    if (gateway.statusCode === 403) return 'auth_forbidden';
  }
  // 120 arrives as HTTP 401 but means the connecting user lost access: a person must reconnect.
  if (code === '120' || code === '3100') return 'auth_forbidden';
  if (httpStatus === 401 || code === '3200' || code === '100') return 'auth_expired';
  if (httpStatus === 429) return 'throttled';
  if (/^authori[sz]at/.test(type)) return 'auth_forbidden';
  if (/^authentication|applicationauthenticationfailed/.test(type)) return 'auth_expired';

  // "Unexpected Internal Error (-30003)" was an empty CustomerRef: retrying the same request cannot help.
  if (/unexpected internal error/i.test(text)) return 'other';
  switch (code) {
    case '6240':
      return 'duplicate_name';
    case '6140':
      return 'duplicate_doc_number';
    case '610':
    case '620':
      return 'inactive_or_missing_reference';
    case '2500':
      return referencePattern(e);
    case '6100':
      return 'tax_mismatch';
    case '6010':
      return 'account_mapping';
    case '6000':
      // 6000 is a family of unrelated business rules: the Detail says which.
      return businessRule(text, e.element) ?? 'other';
    case '5010':
      return 'stale_object';
    case '6190':
      return 'company_status';
    case '10000':
      return 'transient_server';
    case '500':
      return /unsupported operation/i.test(text) ? 'invalid_field' : 'other';
  }
  if (invalidFieldCodes.has(code)) return 'invalid_field';
  const read = readText(text, e.element);
  if (read) return read;
  if (!code) return byStatus(httpStatus, text);
  if (type === 'systemfault' && httpStatus >= 500) return 'transient_server';
  return httpStatus === 403 ? 'auth_forbidden' : 'other';
}

/** 2500 Invalid Reference Id: the element (or the detail after the title) says what the reference was. */
function referencePattern(e: RawError): ErrorPattern {
  const where = `${e.element} ${e.detail}`;
  if (/TaxCode/i.test(where)) return 'tax_mismatch';
  if (/AccountRef|(^|\.)Account\b/.test(e.element) || /AccountRef/.test(e.detail)) return 'account_mapping';
  return 'inactive_or_missing_reference';
}

/** No Fault to read (text/HTML page or empty body): the status is all we have. */
function byStatus(status: number, text: string): ErrorPattern {
  if (status === 401) return 'auth_expired';
  if (status === 429 || /throttle/i.test(text)) return 'throttled';
  if (status === 403) return 'auth_forbidden';
  if (status === 0 || status >= 500 || status === 408) return 'transient_server';
  return 'other';
}

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string) {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After` is either seconds or an HTTP date. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
