import type { ErrorPattern, PauseReason, SyncError } from '../workflows/contract';
import { patternPolicy } from '../workflows/pattern-policy';

/** A QuickBooks failure, classified once: what it is, whether retrying helps, and whether to pause. */
export type ClassifiedFault = SyncError & {
  retryable: boolean;
  pause?: PauseReason;
  retryAfterMs?: number;
  /** The HTTP status (0 when no response arrived). */
  status: number;
};

/** The retry and pause policy of `pattern`, in the shape a ClassifiedFault carries it. */
export function policyFields(pattern: ErrorPattern): { retryable: boolean; pause?: PauseReason } {
  const { retryable, pause } = patternPolicy[pattern];
  return pause ? { retryable, pause } : { retryable };
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
  hint = patternPolicy[pattern].hint,
): QboFault {
  return new QboFault({
    pattern,
    code: 'qbo-sync',
    message,
    detail,
    hint,
    status: 0,
    ...policyFields(pattern),
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
