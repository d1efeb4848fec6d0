import { ApplicationFailure } from '@temporalio/common';
import { markEventsProcessed, unprocessedEvents } from '../db/queries/quickbooks-events';
import { QboFault } from '../quickbooks/faults';
import { sweepSince, sweepStart } from '../sync/change-sweep';
import { reviewChangedRecords, reviewMerge } from '../sync/review-changes';
import type { SyncDeps } from '../sync/sync-deps';
import { toApplicationFailure } from './application-failure';

export interface SweepChangesInput {
  realmId: string;
  checkpoint?: string;
}
export interface SweepChangesResult {
  checkpoint: string;
  calls: number;
  changed: number;
  drifted: number;
}
export interface ReviewNoticesResult {
  events: number;
  calls: number;
  drifted: number;
}

async function asTrackerActivity<T>(deps: SyncDeps, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof QboFault)
      throw toApplicationFailure(err.fault, { throttleBackoffMs: deps.config.throttleBackoffMs });
    throw ApplicationFailure.retryable((err as Error).message, 'transient_server');
  }
}

/** The safety net: every change since the checkpoint, by CDC, held against our links. */
export function sweepChanges(deps: SyncDeps, input: SweepChangesInput): Promise<SweepChangesResult> {
  return asTrackerActivity(deps, async () => {
    const since = sweepStart(input.checkpoint, Date.now());
    const swept = await sweepSince(deps.qbo, input.realmId, since);
    const drifted = await reviewChangedRecords(deps.db, input.realmId, swept.objects, 'sweep');
    // Events whose changes this sweep has seen (a review that failed, or one skipped over the day's cap).
    const covered = (await unprocessedEvents(deps.db, input.realmId)).filter(
      (e) => e.occurredAt.getTime() >= Date.parse(since),
    );
    await markEventsProcessed(
      deps.db,
      covered.map((e) => e.eventId),
    );
    return { checkpoint: swept.checkpoint, calls: swept.calls, changed: swept.objects.length, drifted };
  });
}

/**
 * The webhook events recorded for the company and not processed yet: one CDC call from the oldest of
 * them fetches every record they name (deleted ones as stubs), then they are marked processed.
 * A merge needs no call: the event names both records.
 */
export function reviewChangeNotices(deps: SyncDeps, input: SweepChangesInput): Promise<ReviewNoticesResult> {
  return asTrackerActivity(deps, async () => {
    const events = await unprocessedEvents(deps.db, input.realmId);
    if (events.length === 0) return { events: 0, calls: 0, drifted: 0 };
    let drifted = 0;
    let calls = 0;
    for (const e of events.filter((e) => e.operation === 'merge' && e.deletedId)) {
      drifted += await reviewMerge(
        deps.db,
        input.realmId,
        e.entity,
        e.deletedId!,
        e.qboId,
        e.occurredAt.toISOString(),
      );
    }
    if (events.some((e) => e.operation !== 'merge')) {
      const oldest = Math.min(...events.map((e) => e.occurredAt.getTime()));
      const since = sweepStart(new Date(oldest - 1000).toISOString(), Date.now());
      const entities = [...new Set(events.map((e) => e.entity))];
      const swept = await sweepSince(deps.qbo, input.realmId, since, entities);
      calls += swept.calls;
      drifted += await reviewChangedRecords(deps.db, input.realmId, swept.objects, 'webhook');
    }
    await markEventsProcessed(
      deps.db,
      events.map((e) => e.eventId),
    );
    return { events: events.length, calls, drifted };
  });
}
