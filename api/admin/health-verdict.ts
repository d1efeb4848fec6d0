import type { CompanySettings } from '../../connections/company-health';

/** What the health check needs to judge a company ready for a big job (a backfill, a year-end close). */
export interface HealthFacts {
  connectionStatus: string;
  refreshTokenExpiresAt: Date;
  settings: CompanySettings | { error: string };
  waiting: { needsAttention: number | null; paused: number | null };
  now?: Date;
}

export interface HealthVerdict {
  /** "ready", or the first thing to fix, in plain words. */
  verdict: string;
  ready: boolean;
  /** Everything to fix, most blocking first. */
  fixes: string[];
  /** Worth knowing, not blocking. */
  notes: string[];
}

const DAY = 86_400_000;

/** A plain verdict before a big job: "ready", or what to fix first. */
export function healthVerdict(facts: HealthFacts): HealthVerdict {
  const now = facts.now ?? new Date();
  const fixes: string[] = [];
  const notes: string[] = [];
  if (facts.connectionStatus !== 'active')
    fixes.push(`Reconnect the company: its connection is ${facts.connectionStatus.replace('_', ' ')}.`);
  const daysLeft = Math.floor((facts.refreshTokenExpiresAt.getTime() - now.getTime()) / DAY);
  if (daysLeft < 0) fixes.push('Reconnect the company: its sign-in has expired.');
  else if (daysLeft < 14)
    fixes.push(`Reconnect the company soon: its sign-in expires in ${daysLeft} day(s).`);
  if ('error' in facts.settings) {
    fixes.push(`QuickBooks could not be read (${facts.settings.error}); fix that before a big job.`);
  } else {
    const s = facts.settings;
    for (const account of s.requiredAccounts.missing)
      fixes.push(`Add ${account} in QuickBooks: invoices and payments need it.`);
    if (s.closingDate)
      notes.push(`The books are closed through ${s.closingDate}: invoices dated on or before it will pause.`);
    if (s.nonUsTax) notes.push('A non-US company: every line needs a mapped tax category.');
  }
  const waiting = (facts.waiting.needsAttention ?? 0) + (facts.waiting.paused ?? 0);
  if (waiting)
    fixes.push(`Clear the ${waiting} sync(s) waiting for a person first, so new failures stand out.`);
  if (facts.waiting.needsAttention === null)
    notes.push('The backlog could not be counted (Temporal visibility).');
  return { verdict: fixes[0] ?? 'ready', ready: fixes.length === 0, fixes, notes };
}
