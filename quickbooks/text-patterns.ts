import type { ErrorPattern } from '../workflows/contract';

/**
 * What QuickBooks' message and detail texts mean, independent of the code they came with. QuickBooks (and the
 * SDKs that re-render its faults) reuse codes loosely — the closed-period message arrives under 6210, 6200 and
 * 5010 — and often only the text survives, so these rules are the classifier's second source of truth.
 */

/**
 * Texts that name their failure so plainly that they win over any code: a code that contradicts one of these
 * is classified by the text.
 */
const decisive: [RegExp, ErrorPattern][] = [
  [/\baccount(ing)? period (has )?closed|\bbooks are closed\b/i, 'closed_period'],
  [/throttle|request limit was reached|too many requests/i, 'throttled'],
  [/duplicate document number/i, 'duplicate_doc_number'],
  [/stale object|\bwere working on (this|the same)\b.*\bat the same time\b/i, 'stale_object'],
  [
    /invalid company status|subscription period (has )?ended|trial or subscription period ended|cancell?ed your subscription/i,
    'company_status',
  ],
  [
    /duplicate name exists|the name supplied already exists|already using this(\s|\\n)+name/i,
    'duplicate_name',
  ],
];

/** The pattern a decisive text names, or undefined. */
export function decisiveText(text: string): ErrorPattern | undefined {
  return decisive.find(([re]) => re.test(text))?.[1];
}

/**
 * What the 6000 family (business validation: unrelated business rules under one code) means, read from its
 * Detail. Also used for bare texts that carry a business-validation detail.
 */
export function businessRule(text: string, element = ''): ErrorPattern | undefined {
  if (/unexpected error occurred while accessing or saving your data/i.test(text)) return 'transient_server';
  if (
    /tax code|\btax rate|\bVAT\b|\bGST\b|\bHST\b|calculating tax|TaxCode|sales tax/i.test(text) ||
    /TaxCode/i.test(element)
  ) {
    return 'tax_mismatch';
  }
  if (
    /Accounts Receivable|Accounts Payable|Invalid account type|account type (doesn.t|does not|isn.t|is not)|account type not allowed|opening balance|Track quantity on hand/i.test(
      text,
    ) ||
    /AccountRef/i.test(element)
  ) {
    return 'account_mapping';
  }
  if (/colon|\btab\b|newline/i.test(text) && /name/i.test(text)) return 'invalid_field';
  return undefined;
}

/** Weaker readings, for a text that came without a code we know (or without any code). */
const readings: [RegExp, ErrorPattern][] = [
  [/unexpected internal error/i, 'other'],
  [
    /AuthenticationFailed|authentication (error|failure|failed)|token (is )?(expired|invalid|revoked)|invalid_grant/i,
    'auth_expired',
  ],
  [
    /AuthorizationFailed|authorization failure|-11014|invalid_client|unauthorized_client|access_denied/i,
    'auth_forbidden',
  ],
  [
    /made inactive|invalid reference id|object not found|has been deleted|another user has deleted/i,
    'inactive_or_missing_reference',
  ],
  [
    /required param(eter)?\b.*\bmissing|invalid (number|enumeration|date|string|id\b)|should be a valid|string length|is too long|exceeds the maximum|amount calculation incorrect|unsupported (operation|property)|invalid or unsupported property|Query(Parser|Validation)Error|request has invalid|quantity required|entered is not valid|\bis required\b|must be non-empty/i,
    'invalid_field',
  ],
  [
    /an application error has occurred|system failure error|service (is )?(temporarily )?unavailable|internal server error|bad gateway|gateway time-?out|please try again later/i,
    'transient_server',
  ],
];

/** Reads a text on its own: the decisive rules, then the business rules, then the weaker readings. */
export function readText(text: string, element = ''): ErrorPattern | undefined {
  return decisiveText(text) ?? businessRule(text, element) ?? readings.find(([re]) => re.test(text))?.[1];
}

/** The pattern of an OAuth token-endpoint error code (RFC 6749 §5.2), whatever its description says. */
export function oauthPattern(code: string): ErrorPattern | undefined {
  switch (code.toLowerCase()) {
    case 'invalid_grant':
    case 'invalid_token':
      return 'auth_expired';
    case 'invalid_client':
    case 'unauthorized_client':
    case 'access_denied':
    case 'invalid_scope':
    case 'insufficient_scope':
      return 'auth_forbidden';
    case 'temporarily_unavailable':
    case 'server_error':
      return 'transient_server';
    case 'invalid_request':
    case 'unsupported_grant_type':
      return 'other';
  }
  return undefined;
}
