import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { periodReopenedSignal, reconnectedSignal, type SyncStatus } from '../../workflows/contract';
import { authCheckOffset } from '../../workflows/pause-wait';
import { recordHistory } from '../support/record-history';
import { createHarness, failure, testDocument, type Harness } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isState = (state: string) => (s: SyncStatus) => s.state === state;

/** Pauses (expired connection, closed period) end by their signal or by the sync's own check of the cause. */
describe('workflow: pauses heal by signal or by their own check', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('an auth pause stays while its cause does, and reconnected resumes it', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureItem', () => failure('auth_expired', { connectionVersion: 3 }));
    const handle = await h.start(doc);
    const paused = await h.waitFor(handle, isState('paused'), 'paused');
    assert.equal(paused.pauseReason, 'auth');
    assert.equal(paused.currentStep, 'items');
    // The check before waiting and at least one tick: the cause remains, so it stays paused.
    await h.waitFor(handle, () => checksOf(h, doc.invoice.sourceId).length >= 2, 'two self-checks');
    const check = checksOf(h, doc.invoice.sourceId)[0];
    assert.equal(check.reason, 'auth');
    assert.equal(check.connectionVersion, 3, 'the generation that failed is what the check compares with');
    assert.equal((await h.waitFor(handle, () => true, 'status')).state, 'paused');

    await handle.signal(reconnectedSignal, {});
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.steps.items.records.length, 2);
  });

  it('a closed period resumes on periodReopened, not on reconnected', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureInvoice', () => failure('closed_period'));
    const handle = await h.start(doc);
    const paused = await h.waitFor(handle, isState('paused'), 'paused');
    assert.equal(paused.pauseReason, 'closed_period');
    assert.equal(paused.currentStep, 'invoice');
    const check = (await waitForCheck(h, handle, doc.invoice.sourceId))!;
    assert.equal(check.reason, 'closed_period');
    assert.equal(check.txnDate, doc.invoice.txnDate, 'the held transaction date is checked');

    await handle.signal(reconnectedSignal, {});
    await sleep(1_500);
    assert.equal(
      (await h.waitFor(handle, () => true, 'status')).state,
      'paused',
      'wrong signal: still paused',
    );
    await handle.signal(periodReopenedSignal, {});
    await h.waitFor(handle, isState('completed'), 'completed');
  });

  it('with no signal, an auth pause resumes when its self-check finds the connection renewed', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureCustomer', () => failure('auth_expired', { connectionVersion: 1 }));
    h.script(
      doc,
      'checkPauseCause',
      () => ({ cleared: false }),
      () => ({ cleared: true }),
    );
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('completed'), 'completed');
    // Revision 4: no check right after the failure (the activity recorded the sync as waiting), one per wait.
    assert.equal(checksOf(h, doc.invoice.sourceId).length, 2, 'after the first wait, then one more');
    const events = await h.eventTypes(handle);
    assert.ok(!events.includes('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'), 'no signal was needed');
    assert.ok(events.includes('EVENT_TYPE_TIMER_STARTED'), 'it waited on the check timer');
  });

  it('with no signal, a closed period resumes when its self-check finds the period reopened', async () => {
    const doc = testDocument({ payments: [{ sourceId: 'pay-1', txnDate: '2026-10-30', amount: 10 }] });
    h.script(doc, 'ensurePayment', () => failure('closed_period'));
    h.script(
      doc,
      'checkPauseCause',
      () => ({ cleared: false, bookCloseDate: '2026-10-31' }),
      () => ({ cleared: true }),
    );
    const handle = await h.start(doc);
    await h.waitFor(handle, isState('completed'), 'completed');
    const checks = checksOf(h, doc.invoice.sourceId);
    assert.equal(checks.length, 2);
    assert.equal(checks[0].txnDate, '2026-10-30', "the payment's date is checked");
    assert.ok(!(await h.eventTypes(handle)).includes('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'));
  });

  it('a reconnected signal that arrives while the failing step is still in flight is not lost', async () => {
    const doc = testDocument();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.script(doc, 'ensureCustomer', async () => {
      await gate;
      return failure('auth_expired', { connectionVersion: 5 });
    });
    const handle = await h.start(doc);
    await h.waitFor(
      handle,
      () => h.calls.some((c) => c.input?.customer?.sourceId === doc.customer.sourceId),
      'customer step running',
    );
    await handle.signal(reconnectedSignal, {});
    await sleep(300);
    release();
    // The self-check never clears (checkPauseCause answers not cleared): only the latched signal can resume it.
    const done = await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(done.steps.customer.status, 'done');
  });

  it('a payment void that hits a closed period pauses, then resumes on periodReopened', async () => {
    const base = testDocument();
    const doc = { ...base, invoice: { ...base.invoice, version: 2 } };
    h.script(doc, 'voidRemovedPayments', () => failure('closed_period'));
    const handle = await h.start(doc);
    const paused = await h.waitFor(handle, isState('paused'), 'paused');
    assert.equal(paused.pauseReason, 'closed_period');
    assert.equal(paused.currentStep, 'payments');
    const check = (await waitForCheck(h, handle, doc.invoice.sourceId))!;
    assert.equal(check.txnDate, undefined, 'a void is checked against the closing date it paused on');
    await handle.signal(periodReopenedSignal, {});
    await h.waitFor(handle, isState('completed'), 'completed');
    assert.equal(
      h.calls.filter(
        (c) => c.name === 'voidRemovedPayments' && c.input.invoiceSourceId === doc.invoice.sourceId,
      ).length,
      2,
      'voided again after the resume',
    );
  });

  it('spreads expired-connection checks over the interval by sync id (revision 3); revision 2 and closed periods keep the aligned tick', async () => {
    const intervalMs = 600_000;
    // A sync whose own point in the interval is well away from the aligned tick.
    let doc = testDocument();
    while (!within(authCheckOffset(intervalMs, syncIdOf(doc)), 60_000, 540_000)) doc = testDocument();
    h.script(doc, 'ensureCustomer', () => failure('auth_expired', { connectionVersion: 1 }));
    const spread = await h.start(doc, { timings: { pauseCheckMs: intervalMs } });
    const phase = (await firstTimerFiresAt(h, spread)) % intervalMs;
    assert.ok(
      Math.abs(phase - authCheckOffset(intervalMs, syncIdOf(doc))) < 5_000,
      `the check is due at the sync's own point of the interval (phase ${phase} ms)`,
    );

    const cases = [
      { pattern: 'auth_expired', revision: 2 },
      { pattern: 'closed_period', revision: 3 },
    ] as const;
    for (const { pattern, revision } of cases) {
      const other = testDocument();
      h.script(other, 'ensureInvoice', () => failure(pattern, { connectionVersion: 1 }));
      const handle = await h.start(other, { revision, timings: { pauseCheckMs: intervalMs } });
      const otherPhase = (await firstTimerFiresAt(h, handle)) % intervalMs;
      // The aligned tick plus at most 2 s of per-sync spread, plus the time the workflow task took.
      assert.ok(
        otherPhase < 7_000,
        `${pattern} on revision ${revision} checks on the aligned tick (phase ${otherPhase} ms)`,
      );
    }
  });

  it('from revision 4, checks an expired connection less often the longer it lasts, up to the maximum', async () => {
    const doc = testDocument();
    h.script(doc, 'ensureCustomer', () => failure('auth_expired', { connectionVersion: 1 }));
    const handle = await h.start(doc, {
      timings: { pauseCheckMs: 1_000, pauseCheckMaxMs: 4_000, outageRetryMs: 1_500, versionsPerRun: 50 },
    });
    const timers = async () =>
      ((await handle.fetchHistory()).events ?? [])
        .filter((e: any) => e.timerStartedEventAttributes)
        .map((e: any) => {
          const d = e.timerStartedEventAttributes.startToFireTimeout;
          return Number(String(d?.seconds ?? 0)) * 1000 + Math.round(Number(d?.nanos ?? 0) / 1e6);
        });
    let waits: number[] = [];
    for (let i = 0; i < 200 && waits.length < 4; i++) {
      await sleep(100);
      waits = await timers();
    }
    assert.ok(waits.length >= 4, `four self-check waits started: ${waits}`);
    assert.ok(waits[0] >= 1 && waits[0] <= 1_000, `the first wait is within one interval: ${waits[0]}`);
    assert.deepEqual(waits.slice(1, 4), [2_000, 4_000, 4_000], 'then doubling, up to the maximum');
    assert.equal(
      checksOf(h, doc.invoice.sourceId).length,
      3,
      'one check after each wait, none before the first',
    );
    await recordHistory(handle.workflowId, `paused-auth-expired-growing-rev4-${handle.workflowId.slice(-8)}`);

    await handle.signal(reconnectedSignal, {});
    await h.waitFor(handle, isState('completed'), 'completed');
    await recordHistory(
      handle.workflowId,
      `completed-auth-expired-growing-rev4-${handle.workflowId.slice(-8)}`,
    );
  });
});

const syncIdOf = (doc: { realmId: string; invoice: { sourceId: string } }) =>
  `sync:${doc.realmId}:${doc.invoice.sourceId}`;
const within = (n: number, low: number, high: number) => n >= low && n <= high;

/** When the sync's first self-check timer is due: its TimerStarted event's time plus its duration. */
async function firstTimerFiresAt(h: Harness, handle: any): Promise<number> {
  await h.waitFor(handle, isState('paused'), 'paused');
  for (let i = 0; i < 100; i++) {
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).find((e: any) => e.timerStartedEventAttributes);
    if (started) {
      const ms = (d: any) => Number(String(d?.seconds ?? 0)) * 1000 + Math.round(Number(d?.nanos ?? 0) / 1e6);
      return ms(started.eventTime) + ms(started.timerStartedEventAttributes.startToFireTimeout);
    }
    await sleep(100);
  }
  throw new Error('no self-check timer started');
}

function checksOf(h: Harness, invoiceSourceId: string): any[] {
  return h.calls
    .filter((c) => c.name === 'checkPauseCause' && c.input.syncId.endsWith(`:${invoiceSourceId}`))
    .map((c) => c.input);
}

async function waitForCheck(h: Harness, handle: any, invoiceSourceId: string) {
  await h.waitFor(handle, () => checksOf(h, invoiceSourceId).length >= 1, 'a self-check');
  return checksOf(h, invoiceSourceId)[0];
}
