import { Context } from '@temporalio/activity';

/**
 * Tells Temporal this activity is alive, when called inside one (outside, e.g. in the API's health
 * check, it does nothing). Lets a short heartbeat timeout detect a killed worker quickly while an
 * activity legitimately waits for the company's request budget or for QuickBooks.
 */
export function heartbeatIfInActivity(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat();
}

/**
 * Inside an activity, the latest time (epoch ms) it should still start a QuickBooks write: 30 s before its
 * attempt's start-to-close timeout. Outside an activity, undefined.
 */
export function sendByInActivity(): number | undefined {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return undefined;
  }
  const { currentAttemptScheduledTimestampMs: scheduled, startToCloseTimeoutMs: timeout } = context.info;
  return timeout > 0 ? scheduled + timeout - 30_000 : undefined;
}
