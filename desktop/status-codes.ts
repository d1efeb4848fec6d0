import { policyFields, type ClassifiedFault } from '../quickbooks/qbo-fault';
import { decisiveText, readText } from '../quickbooks/text-patterns';
import { patternPolicy } from '../workflows/pattern-policy';
import type { ErrorPattern } from '../workflows/contract';

/**
 * qbXML status codes (Intuit's "status codes in response messages"; the handling the reference Web Connector
 * libraries give them, see ../shared/qbo-changes-and-desktop.md §3.4) as our error patterns.
 */
const byCode: Record<number, ErrorPattern> = {
  3100: 'duplicate_name', // the name of the list element is already in use
  3200: 'stale_object', // the provided edit sequence is out-of-date: re-read, then Mod again
  // List locked / modified by another user / internals could not be locked / element in use: resend.
  3170: 'transient_server',
  3175: 'transient_server',
  3176: 'transient_server',
  3180: 'transient_server',
  3120: 'inactive_or_missing_reference', // an object the request names cannot be found
  3140: 'inactive_or_missing_reference', // an invalid reference (missing or inactive)
  3210: 'invalid_field',
  // Permissions and features (3250 feature off, 3260/3261 no permission): a person changes QuickBooks.
  3250: 'other',
  3260: 'other',
  3261: 'other',
  1000: 'transient_server', // QuickBooks' internal error
};

const permissionHint =
  'QuickBooks Desktop refused: the feature this needs is turned off, or the integrated application lacks the ' +
  'permission (Edit → Preferences → Integrated Applications → Company Preferences → qbo-sync → Properties: allow ' +
  'access, including personal data if asked). Change it in QuickBooks as the administrator, then retry.';

/** Codes below 1000 are information and warnings: 0 OK, 1 "no match" (an empty query), 500 not found. */
export function isDesktopSuccess(code: number): boolean {
  return code >= 0 && code < 1000;
}

/**
 * Classifies a qbXML error status. A text that names its failure plainly wins over its code (the closing
 * date arrives under several codes); then the code; then the text's weaker rules; else `other`.
 */
export function classifyDesktopStatus(
  code: number,
  message: string,
  fallback: ErrorPattern = 'other',
): ClassifiedFault {
  const text = message ?? '';
  const pattern: ErrorPattern =
    (/closing date|closed period|period (is )?closed/i.test(text) ? 'closed_period' : undefined) ??
    decisiveText(text) ??
    byCode[code] ??
    readText(text) ??
    fallback;
  const permission = code === 3250 || code === 3260 || code === 3261;
  return {
    pattern,
    code: String(code),
    message: clip(text || `QuickBooks Desktop status ${code}`, 500),
    detail: `QuickBooks Desktop status ${code}`,
    hint: permission ? permissionHint : patternPolicy[pattern].hint,
    status: 0,
    ...policyFields(pattern),
  };
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
