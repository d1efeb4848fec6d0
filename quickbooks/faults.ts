import type { ErrorPattern, PauseReason, SyncError } from '../workflows/contract';
import { parseBody, type RawError } from './fault-envelope';
import { hints } from './hints';

/** A QuickBooks failure, classified once: what it is, whether retrying helps, and whether to pause. */
export type ClassifiedFault = SyncError & {
  retryable: boolean;
  pause?: PauseReason;
  retryAfterMs?: number;
  /** The HTTP status (0 when no response arrived). */
  status: number;
};

/** Patterns a retry (by Temporal) can fix on its own. stale_object is fixed by the caller re-reading. */
const retryablePatterns: ReadonlySet<ErrorPattern> = new Set(['throttled', 'transient_server']);

const pauses: Partial<Record<ErrorPattern, PauseReason>> = {
  auth_expired: 'auth',
  auth_forbidden: 'auth',
  closed_period: 'closed_period',
};

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
 * plain text/HTML) into one of the contract's error patterns, with a hint for a person. Never throws.
 * A 200 without a Fault still classifies (as `other`); callers only call this for failures or to check a 200.
 */
export function classifyFault(
  status: number,
  body: unknown,
  headers?: Record<string, string | string[] | undefined>,
): ClassifiedFault {
  const parsed = parseBody(body);
  const faultType = parsed.faultType ?? '';
  const candidates = parsed.errors.map((e) => ({ e, pattern: classifyError(e, status, faultType) }));
  candidates.sort((a, b) => specificity.indexOf(a.pattern) - specificity.indexOf(b.pattern));
  const best = candidates[0];

  const pattern: ErrorPattern = best?.pattern ?? byStatus(status, parsed.text ?? '');
  const raw: RawError = best?.e ?? {
    code: status ? String(status) : '',
    message: status ? `HTTP ${status}` : 'No response',
    detail: parsed.text ?? '',
    element: '',
  };
  const fault: ClassifiedFault = {
    pattern,
    code: normaliseCode(raw) || String(status),
    message: clip(raw.message, 500),
    detail: clip(raw.detail, 1000),
    hint: hints[pattern],
    status,
    retryable: retryablePatterns.has(pattern),
  };
  if (raw.element) fault.element = raw.element;
  const pause = pauses[pattern];
  if (pause) fault.pause = pause;
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
  if (code) return /^\d+$/.test(code) ? String(Number(code)) : code;
  return gatewayParts(e.message)?.errorCode ?? '';
}

function classifyError(e: RawError, httpStatus: number, faultType: string): ErrorPattern {
  const code = normaliseCode(e);
  const text = `${e.message} ${e.detail}`;
  const type = faultType.toLowerCase();
  const gateway = gatewayParts(e.message);

  // The closed-period message arrives under 6210, 6200 and even 5010: the text decides.
  if (/account period (has )?closed/i.test(text)) return 'closed_period';
  if (code === '3001' || /throttle/i.test(text) || gateway?.statusCode === 429) return 'throttled';
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
      return businessValidationPattern(e);
    case '5010':
      return 'stale_object';
    case '6190':
      return 'company_status';
    case '10000':
      return 'transient_server';
    case '500':
      return /unsupported operation/i.test(text) ? 'invalid_field' : 'other';
  }
  if (/duplicate document number/i.test(text)) return 'duplicate_doc_number';
  if (invalidFieldCodes.has(code) || /Query(Parser|Validation)Error/.test(text)) return 'invalid_field';
  if (/colon|\btab\b|newline/i.test(text) && /name/i.test(text)) return 'invalid_field';
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

/** 6000 is a family of unrelated business rules: classify on the Detail. */
function businessValidationPattern(e: RawError): ErrorPattern {
  const d = `${e.message} ${e.detail}`;
  if (/unexpected error occurred while accessing or saving your data/i.test(d)) return 'transient_server';
  if (
    /tax code|\btax rate|\bVAT\b|\bGST\b|\bHST\b|calculating tax|TaxCode/i.test(d) ||
    /TaxCode/i.test(e.element)
  ) {
    return 'tax_mismatch';
  }
  if (
    /Accounts Receivable|Invalid account type|account type doesn.t support|Track quantity on hand/i.test(d) ||
    /AccountRef/i.test(e.element)
  ) {
    return 'account_mapping';
  }
  if (/colon|\btab\b|newline/i.test(d)) return 'invalid_field';
  return 'other';
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

/**
 * Classifies an HTTP failure that produced no response (axios error without `response`).
 * `uncertain` is true when the request may have reached QuickBooks and committed: a timeout, a reset or a
 * hung-up socket after sending. A refused connection or a DNS failure never reached QuickBooks.
 * Only the error code and a fixed message are kept: the axios error (which holds the bearer) is dropped.
 */
export function classifyNetworkError(err: unknown): ClassifiedFault & { uncertain: boolean } {
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = typeof e.code === 'string' ? e.code : '';
  const hungUp = typeof e.message === 'string' && /socket hang up|timeout/i.test(e.message);
  const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL'].includes(code);
  return {
    pattern: 'transient_server',
    code: code || 'NETWORK',
    message: neverSent
      ? 'Could not reach QuickBooks'
      : 'No response from QuickBooks (timed out or connection lost)',
    detail:
      code === 'ECONNABORTED' || code === 'ETIMEDOUT'
        ? 'The request timed out.'
        : hungUp
          ? 'Socket hang up.'
          : '',
    hint: hints.transient_server,
    retryable: true,
    status: 0,
    uncertain: !neverSent,
  };
}

/**
 * The error the QuickBooks client throws. `uncertain` means a write may have committed even though we
 * saw a failure (timeout, lost response, 5xx on a write): look the record up before writing again.
 */
export class QboFault extends Error {
  constructor(
    readonly fault: ClassifiedFault,
    readonly uncertain = false,
  ) {
    super(`QuickBooks ${fault.code}: ${fault.message}`);
    this.name = 'QboFault';
  }
}

/** Builds a fault of our own (e.g. no income account to map) in the same shape QuickBooks faults take. */
export function localFault(
  pattern: ErrorPattern,
  message: string,
  detail = '',
  hint = hints[pattern],
): QboFault {
  return new QboFault({
    pattern,
    code: 'qbo-sync',
    message,
    detail,
    hint,
    status: 0,
    retryable: retryablePatterns.has(pattern),
    ...(pauses[pattern] ? { pause: pauses[pattern] } : {}),
  });
}

/** True when `err` is a QuickBooks fault of one of `patterns`. */
export function isFault(err: unknown, ...patterns: string[]): err is QboFault {
  return err instanceof QboFault && patterns.includes(err.fault.pattern);
}

/** A QboFault like `fault` but with our own message, detail or hint (e.g. naming the existing record). */
export function refine(
  fault: QboFault,
  changes: { message?: string; detail?: string; hint?: string },
): QboFault {
  return new QboFault({ ...fault.fault, ...changes }, fault.uncertain);
}
