import type { PauseReason } from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import type { ResumeOutcome } from './resume-paused-syncs';

/** What an admin can declare fixed, the pause reason it ends, and how the API and the admin page name it. */
export const resumeTriggers = [
  {
    path: 'reconnected',
    reason: 'auth',
    label: 'Reconnected',
    summary: 'The company was reconnected: resume its syncs paused for auth',
  },
  {
    path: 'period-reopened',
    reason: 'closed_period',
    label: 'Period reopened',
    summary: 'The closed period was reopened: resume its syncs paused for closed_period',
  },
] as const satisfies readonly { path: string; reason: PauseReason; label: string; summary: string }[];

/**
 * Resumes every sync of the company paused for `reason` (the API route and the admin page's button both
 * come here) and logs who asked. `failed` counts syncs whose signal could not be delivered after retries:
 * they still resume at their next self-check.
 */
export async function resumeCompany(
  deps: Pick<ApiDeps, 'resumePausedSyncs' | 'logger'>,
  realmId: string,
  reason: PauseReason,
  by: 'api' | 'admin page',
): Promise<ResumeOutcome> {
  const outcome = await deps.resumePausedSyncs(realmId, reason);
  deps.logger.info({ realmId, reason, ...outcome, by }, 'paused syncs resumed');
  return outcome;
}
