import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { createActivities } from '../../activities';
import { testServices } from '../support/env';
import { eventually } from '../support/http';
import {
  changesNoticedSignal,
  trackerStatusQuery,
  type TrackChangesInput,
} from '../../workflows/track-changes-contract';

type Activities = ReturnType<typeof createActivities>;

/**
 * The change tracker's loop on the real Temporal dev server, with its two activities replaced: it sweeps on
 * its timer, reviews on a signal, stays within the day's call cap, outlives failing activities and carries
 * its checkpoint across continue-as-new.
 */
describe('trackChanges workflow', () => {
  const taskQueue = `track-${randomBytes(4).toString('hex')}`;
  const calls: { sweeps: (string | undefined)[]; reviews: number; failReviews: number } = {
    sweeps: [],
    reviews: 0,
    failReviews: 1,
  };
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  before(async () => {
    const activities: Pick<Activities, 'sweepChanges' | 'reviewChangeNotices'> = {
      async sweepChanges({ checkpoint }) {
        calls.sweeps.push(checkpoint);
        return { checkpoint: `cp-${calls.sweeps.length}`, calls: 1, changed: 0, drifted: 0 };
      },
      async reviewChangeNotices() {
        calls.reviews++;
        if (calls.failReviews-- > 0) throw new Error('QuickBooks is down');
        return { events: 2, calls: 1, drifted: 1 };
      },
    };
    const address = testServices().temporalAddress;
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address }),
      taskQueue,
      workflowBundle: { codePath: testServices().workflowBundlePath },
      activities,
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection });
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
  });

  const start = (input: Partial<TrackChangesInput>) =>
    client.workflow.start('trackChanges', {
      taskQueue,
      workflowId: `changes:test-${randomBytes(4).toString('hex')}`,
      args: [{ realmId: '1', sweepEverySeconds: 1, settleMs: 10, dailyCallCap: 100, ...input }],
    });

  it('sweeps on its timer from the last checkpoint, and reviews when signalled even after a failed review', async () => {
    const handle = await start({});
    await eventually(
      () => Promise.resolve(calls.sweeps.length),
      (n) => n >= 2,
      10_000,
      'two sweeps',
    );
    assert.equal(calls.sweeps[0], undefined, 'the first sweep has no checkpoint');
    assert.equal(calls.sweeps[1], 'cp-1', 'the next one starts where the last ended');
    await handle.signal(changesNoticedSignal);
    await eventually(
      () => Promise.resolve(calls.reviews),
      (n) => n >= 1,
      10_000,
      'a review',
    );
    await handle.signal(changesNoticedSignal);
    const status = await eventually(
      () => handle.query(trackerStatusQuery),
      (s) => s.eventsReviewed === 2,
      10_000,
      'the second review',
    );
    assert.equal(status.drifted, 1);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'a failed review did not end the tracker');
    await handle.terminate();
  });

  it('stops calling QuickBooks at the daily cap', async () => {
    const before = calls.sweeps.length;
    const handle = await start({ dailyCallCap: 2 });
    await new Promise((r) => setTimeout(r, 4_500));
    const status = await handle.query(trackerStatusQuery);
    assert.equal(status.callsToday, 2);
    assert.equal(calls.sweeps.length - before, 2);
    await handle.terminate();
  });

  it("continues as new with its checkpoint and the day's usage", async () => {
    const before = calls.sweeps.length;
    const handle = await start({ roundsPerRun: 2 });
    const firstRun = (await handle.describe()).runId;
    const status = await eventually(
      async () => ({ run: (await handle.describe()).runId, s: await handle.query(trackerStatusQuery) }),
      (v) => v.run !== firstRun && v.s.lastSweepAt !== null,
      15_000,
      'a new run',
    );
    assert.ok(status.s.callsToday >= 3, `usage carried over: ${JSON.stringify(status.s)}`);
    const sweeps = calls.sweeps.slice(before);
    assert.equal(sweeps.filter((c) => c === undefined).length, 1, `checkpoint carried over: ${sweeps}`);
    await handle.terminate();
  });
});
