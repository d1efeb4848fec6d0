import { condition, continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  changesNoticedSignal,
  sweepNowSignal,
  trackerStatusQuery,
  type TrackChangesInput,
  type TrackerStatus,
} from './track-changes-contract';

type Activities = ReturnType<typeof createActivities>;

const changes = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '45 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * A failed review or sweep (the connection expired, QuickBooks down past the retries) must not end the
 * tracker: the events stay recorded and the checkpoint unmoved, so the next round covers them.
 */
async function survive<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch {
    return undefined;
  }
}

/** Rounds of waiting before the history is handed to a fresh run. */
const ROUNDS_PER_RUN = 200;

/**
 * Watches one QuickBooks company for changes to records we linked: reviews webhook events as they come
 * (one CDC call per burst), and sweeps with CDC from the last checkpoint on a timer, the safety net for
 * webhooks that never arrive. Never writes to QuickBooks; drift lands on the links. Runs forever, handing
 * over to a fresh run (continue-as-new) every ROUNDS_PER_RUN rounds.
 */
export async function trackChanges(input: TrackChangesInput): Promise<void> {
  const today = () => new Date().toISOString().slice(0, 10);
  let noticed = false;
  let sweepNow = false;
  const status: TrackerStatus = {
    realmId: input.realmId,
    checkpoint: input.checkpoint ?? null,
    lastSweepAt: null,
    lastReviewAt: null,
    day: input.usage?.day ?? today(),
    callsToday: input.usage?.calls ?? 0,
    drifted: 0,
    eventsReviewed: 0,
  };
  setHandler(changesNoticedSignal, () => {
    noticed = true;
  });
  setHandler(sweepNowSignal, () => {
    sweepNow = true;
  });
  setHandler(trackerStatusQuery, () => status);

  const withinCap = () => {
    if (status.day !== today()) {
      status.day = today();
      status.callsToday = 0;
    }
    return status.callsToday < input.dailyCallCap;
  };
  let nextSweepAt = Date.now() + input.sweepEverySeconds * 1000;

  for (let round = 0; round < (input.roundsPerRun ?? ROUNDS_PER_RUN); round++) {
    const wait = nextSweepAt - Date.now();
    if (!noticed && !sweepNow && wait > 0) await condition(() => noticed || sweepNow, wait);

    if (noticed && withinCap()) {
      await sleep(input.settleMs);
      noticed = false;
      const reviewed = await survive(() =>
        changes.reviewChangeNotices({ realmId: input.realmId, checkpoint: status.checkpoint ?? undefined }),
      );
      if (reviewed) {
        status.callsToday += reviewed.calls;
        status.drifted += reviewed.drifted;
        status.eventsReviewed += reviewed.events;
        status.lastReviewAt = new Date().toISOString();
      }
    } else if (noticed) {
      // Over the day's cap: the events stay recorded and the next sweep (tomorrow's budget) covers them.
      noticed = false;
    }

    if ((sweepNow || Date.now() >= nextSweepAt) && withinCap()) {
      sweepNow = false;
      const swept = await survive(() =>
        changes.sweepChanges({ realmId: input.realmId, checkpoint: status.checkpoint ?? undefined }),
      );
      if (swept) {
        status.checkpoint = swept.checkpoint;
        status.callsToday += swept.calls;
        status.drifted += swept.drifted;
        status.lastSweepAt = new Date().toISOString();
      }
      nextSweepAt = Date.now() + input.sweepEverySeconds * 1000;
    } else if (Date.now() >= nextSweepAt) {
      nextSweepAt = Date.now() + input.sweepEverySeconds * 1000;
    }
  }
  await continueAsNew<typeof trackChanges>({
    ...input,
    checkpoint: status.checkpoint ?? undefined,
    usage: { day: status.day, calls: status.callsToday },
  });
}
