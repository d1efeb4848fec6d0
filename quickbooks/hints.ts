import type { ErrorPattern } from '../workflows/contract';
import { patternPolicy } from '../workflows/pattern-policy';

/**
 * Plain-words advice for each failure pattern, as kept in the pattern policy table
 * (workflows/pattern-policy.ts, drawn from the founding documents in ../shared/seeds). Shown to a person
 * next to the error; never holds data from the request.
 */
export const hints = Object.fromEntries(
  Object.entries(patternPolicy).map(([pattern, policy]) => [pattern, policy.hint]),
) as Record<ErrorPattern, string>;

/** The closed-period hint naming the closing date when it is known (from Preferences.BookCloseDate). */
export function closedPeriodHint(bookCloseDate?: string): string {
  if (!bookCloseDate) return hints.closed_period;
  return hints.closed_period.replace('through the closing date', `through ${bookCloseDate}`);
}
