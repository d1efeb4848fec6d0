/**
 * The per-company change tracker's public contract (workflows/track-changes.ts): id, signal, query and
 * input. Pure, so the API (which starts it from the webhook receiver) imports it too.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One tracker per company. */
export function changeTrackerId(realmId: string): string {
  return `changes:${realmId}`;
}

export interface TrackChangesInput {
  realmId: string;
  /** QuickBooks' time to sweep from next; absent before the first sweep. */
  checkpoint?: string;
  /** The CDC sweep's period: the safety net for missed webhooks. */
  sweepEverySeconds: number;
  /** After a webhook, wait this long for the rest of a burst, then review it all with one CDC call. */
  settleMs: number;
  /** QuickBooks calls the tracker may make per company per UTC day (sweeps and webhook reviews). */
  dailyCallCap: number;
  /** Rounds before continue-as-new (default 200; tests use fewer). */
  roundsPerRun?: number;
  /** Carried across continue-as-new. */
  usage?: { day: string; calls: number };
}

export interface TrackerStatus {
  realmId: string;
  checkpoint: string | null;
  lastSweepAt: string | null;
  lastReviewAt: string | null;
  callsToday: number;
  day: string;
  drifted: number;
  /** Webhook events reviewed (each once: a duplicate delivery is not recorded again). */
  eventsReviewed: number;
}

/** Webhook events were recorded for the company: review them. */
export const changesNoticedSignal = defineSignal('changesNoticed');
/** Sweep now, whatever the timer says (an operator, or a test with webhooks off). */
export const sweepNowSignal = defineSignal('sweepNow');
export const trackerStatusQuery = defineQuery<TrackerStatus>('trackerStatus');
