import { ApplicationFailure } from '@temporalio/common';
import { describeDatabaseError, isDatabaseInputError, summarizeDatabaseError } from '../db/database-error';
import { QboFault, type ClassifiedFault } from '../quickbooks/faults';
import { hints } from '../quickbooks/hints';
import { markWaiting } from '../db/queries/waiting-syncs';
import type { SyncDeps } from '../sync/sync-deps';
import type { Step, SyncError } from '../workflows/contract';

/**
 * The one place a domain error becomes a Temporal ApplicationFailure. The domain modules (quickbooks/,
 * connections/, sync/) throw QboFault; activities run their bodies through `asActivity`.
 */

/** Where a failure belongs, for the person reading it. */
export interface FailureContext {
  throttleBackoffMs: number;
  sourceId?: string;
  step?: Step;
}

/**
 * Turns a classified fault into the ApplicationFailure an activity throws: `type` is the pattern,
 * `details[0]` the SyncError (no secrets: only the fields QuickBooks returned about the failure), and
 * throttles carry QuickBooks' wait (or the configured back-off) as `nextRetryDelay`.
 */
export function toApplicationFailure(fault: ClassifiedFault, context: FailureContext): ApplicationFailure {
  const error: SyncError = {
    pattern: fault.pattern,
    code: fault.code,
    message: fault.message,
    detail: fault.detail,
    hint: fault.hint,
  };
  if (fault.element) error.element = fault.element;
  if (fault.intuitTid) error.intuitTid = fault.intuitTid;
  if (fault.connectionVersion !== undefined) error.connectionVersion = fault.connectionVersion;
  if (context.step) error.step = context.step;
  if (context.sourceId) error.sourceId = context.sourceId;
  const nextRetryDelay =
    fault.pattern === 'throttled' ? (fault.retryAfterMs ?? context.throttleBackoffMs) : undefined;
  return ApplicationFailure.create({
    type: fault.pattern,
    message: `QuickBooks ${fault.code}: ${fault.message}`.trim(),
    nonRetryable: !fault.retryable,
    details: [error],
    nextRetryDelay,
  });
}

/**
 * Runs an activity body so that whatever it throws leaves as an ApplicationFailure: QuickBooks faults by
 * pattern (retryable only for throttled/transient_server); a value the database refuses (a data exception,
 * a constraint) as a non-retryable invalid_field; anything else (a database blip) as a retryable
 * transient_server. Database errors are described by SQLSTATE only, never with their SQL or values.
 * `details[0]` is the SyncError with `sourceId`.
 */
export async function asActivity<T>(
  deps: SyncDeps,
  context: { step: Step; sourceId: string; sync?: { realmId: string; syncId: string } },
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof QboFault) {
      const { sync, ...where } = context;
      const { pause } = err.fault;
      // A pausing failure records the sync as waiting before the workflow hears of it, so a reconnect finds
      // it in our own table (the sync's own checks keep the row; best effort: visibility lists it too).
      if (pause && sync) await markWaiting(deps.db, sync.syncId, sync.realmId, pause).catch(() => {});
      throw toApplicationFailure(err.fault, { ...where, throttleBackoffMs: deps.config.throttleBackoffMs });
    }
    if (err instanceof ApplicationFailure) throw err;
    const database = summarizeDatabaseError(err);
    if (database && isDatabaseInputError(database)) {
      const message = `The database refused a value of this document: ${describeDatabaseError(database)}`;
      throw ApplicationFailure.create({
        type: 'invalid_field',
        message: `qbo-sync: ${message}`,
        nonRetryable: true,
        details: [
          {
            pattern: 'invalid_field',
            code: database.sqlstate,
            message,
            detail: '',
            hint: 'A text field holds a character the database cannot store (a NUL byte), or a number is out of range. Correct the document in the source app and send it again.',
            ...context,
          },
        ],
      });
    }
    const message = database
      ? describeDatabaseError(database)
      : err instanceof Error
        ? err.message
        : String(err);
    throw ApplicationFailure.create({
      type: 'transient_server',
      message: `qbo-sync internal error: ${message}`,
      nonRetryable: false,
      details: [
        {
          pattern: 'transient_server',
          code: 'internal',
          message,
          detail: '',
          hint: hints.transient_server,
          ...context,
        },
      ],
    });
  }
}
