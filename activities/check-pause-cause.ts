import { checkPauseCause as check, type PauseCauseCheck, type PauseCauseInput } from '../sync/pause-causes';
import type { SyncDeps } from '../sync/sync-deps';
import type { Step } from '../workflows/contract';
import { asActivity } from './application-failure';

export type CheckPauseCauseInput = PauseCauseInput & { step: Step; sourceId: string };

/** Asks whether a paused sync's cause is gone (a database read; at most a shared Preferences read). */
export function checkPauseCause(deps: SyncDeps, input: CheckPauseCauseInput): Promise<PauseCauseCheck> {
  const { step, sourceId, ...rest } = input;
  return asActivity(deps, { step, sourceId }, () => check(deps, rest));
}
