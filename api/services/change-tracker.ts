import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../../config';
import {
  changesNoticedSignal,
  changeTrackerId,
  sweepNowSignal,
  type TrackChangesInput,
} from '../../workflows/track-changes-contract';

type TrackerConfig = Pick<
  Config,
  'TEMPORAL_TASK_QUEUE' | 'CHANGE_SWEEP_SECONDS' | 'CHANGE_SETTLE_MS' | 'CHANGE_DAILY_CALL_CAP'
>;

/**
 * Wakes the company's change tracker (starting it if it is not running) with a signal: `noticed` after
 * webhook events were recorded, `sweep` to sweep now. signalWithStart makes concurrent calls land in one
 * tracker per company.
 */
function trackerInput(config: TrackerConfig, realmId: string): TrackChangesInput {
  return {
    realmId,
    sweepEverySeconds: config.CHANGE_SWEEP_SECONDS,
    settleMs: config.CHANGE_SETTLE_MS,
    dailyCallCap: config.CHANGE_DAILY_CALL_CAP,
  };
}

const started = new Set<string>();

/**
 * Makes sure the company has a change tracker (its first sweep comes one period later), once per company
 * per API process: called when a sync is enqueued, so companies without webhooks still get the sweep.
 */
export async function ensureChangeTracker(
  temporal: Client,
  config: TrackerConfig,
  realmId: string,
): Promise<void> {
  if (started.has(realmId)) return;
  try {
    await temporal.workflow.start('trackChanges', {
      workflowId: changeTrackerId(realmId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [trackerInput(config, realmId)],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  started.add(realmId);
}

export async function wakeChangeTracker(
  temporal: Client,
  config: TrackerConfig,
  realmId: string,
  why: 'noticed' | 'sweep',
): Promise<string> {
  const workflowId = changeTrackerId(realmId);
  const input = trackerInput(config, realmId);
  await temporal.workflow.signalWithStart('trackChanges', {
    workflowId,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [input],
    signal: why === 'noticed' ? changesNoticedSignal : sweepNowSignal,
    signalArgs: [],
  });
  return workflowId;
}
