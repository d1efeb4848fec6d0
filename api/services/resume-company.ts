import type { PauseReason } from '../../workflows/contract';
import type { ApiDeps } from '../deps';

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
 * come here) and logs who asked. Returns how many syncs were signalled.
 */
export async function resumeCompany(
  deps: Pick<ApiDeps, 'resumePausedSyncs' | 'logger'>,
  realmId: string,
  reason: PauseReason,
  by: 'api' | 'admin page',
): Promise<number> {
  const signalled = await deps.resumePausedSyncs(realmId, reason);
  deps.logger.info({ realmId, reason, signalled, by }, 'paused syncs resumed');
  return signalled;
}
