import { getConnection } from '../db/queries/connections';
import { getDesktopConnection } from '../db/queries/desktop-connections';
import {
  claimBookCloseRead,
  clearWaiting,
  getBookClose,
  markWaiting,
  saveBookClose,
  type BookClose,
} from '../db/queries/waiting-syncs';
import type { PauseReason } from '../workflows/contract';
import type { SyncDeps } from './sync-deps';

export interface PauseCauseInput {
  realmId: string;
  syncId: string;
  reason: PauseReason;
  /** auth: the token generation the failed attempt saw. */
  connectionVersion?: number;
  /** closed_period: when the workflow saw the failure (ISO); only a book-close date read after it counts. */
  failedAt?: string;
  /** closed_period: the date of the held transaction, when the step knows it. */
  txnDate?: string;
  /** closed_period: the closing date this sync saw when it paused; a void clears when it moves back. */
  closedAt?: string;
  /** The check interval: the company's book-close date is read at most twice per interval. */
  intervalMs: number;
}

export interface PauseCauseCheck {
  cleared: boolean;
  /** closed_period: the book-close date read after the failure (null: none set), if one was. */
  bookCloseDate?: string | null;
}

/**
 * Whether a paused sync's cause is gone, at the cost of a database read: for auth, the connection is
 * active with a newer token generation than the failed attempt saw (no QuickBooks call); for a closed
 * period, the company's book-close date (one Preferences read per company per half interval, shared by
 * all its syncs) no longer covers the transaction; for connector_offline, the Desktop company's Web Connector
 * has polled since. Records the sync as waiting while it is not.
 */
export async function checkPauseCause(deps: SyncDeps, input: PauseCauseInput): Promise<PauseCauseCheck> {
  const check =
    input.reason === 'auth'
      ? await authCleared(deps, input)
      : input.reason === 'connector_offline'
        ? await connectorBack(deps, input)
        : await periodCleared(deps, input);
  if (check.cleared) await clearWaiting(deps.db, [input.syncId]);
  else await markWaiting(deps.db, input.syncId, input.realmId, input.reason);
  return check;
}

async function authCleared(deps: SyncDeps, input: PauseCauseInput): Promise<PauseCauseCheck> {
  const row = await getConnection(deps.db, input.realmId);
  if (!row || row.status !== 'active') return { cleared: false };
  // A failure that could not say its generation: a reconnect after the workflow saw it counts.
  if (input.connectionVersion === undefined)
    return { cleared: row.updatedAt.getTime() > Date.parse(input.failedAt ?? '') };
  return { cleared: row.tokenVersion > input.connectionVersion };
}

/** The Web Connector has polled since the step gave up waiting for it (a database read, no request). */
async function connectorBack(deps: SyncDeps, input: PauseCauseInput): Promise<PauseCauseCheck> {
  const row = await getDesktopConnection(deps.db, input.realmId);
  const failedAt = Date.parse(input.failedAt ?? '') || 0;
  return { cleared: !!row?.lastPolledAt && row.lastPolledAt.getTime() > failedAt };
}

async function periodCleared(deps: SyncDeps, input: PauseCauseInput): Promise<PauseCauseCheck> {
  const read = await bookCloseDate(deps, input.realmId, input.intervalMs);
  const failedAt = input.failedAt ? Date.parse(input.failedAt) : 0;
  if (!read?.readAt || read.readAt.getTime() <= failedAt) return { cleared: false };
  const closed = read.bookCloseDate;
  const cleared =
    closed === null ||
    (input.txnDate !== undefined && input.txnDate > closed) ||
    (input.txnDate === undefined && input.closedAt !== undefined && closed < input.closedAt);
  return { cleared, bookCloseDate: closed };
}

/**
 * The company's book-close date: read from QuickBooks by the one caller that claims the read (at most once
 * per half interval), while the others wait briefly for that read rather than use an older one.
 */
async function bookCloseDate(
  deps: SyncDeps,
  realmId: string,
  intervalMs: number,
): Promise<BookClose | undefined> {
  if (await claimBookCloseRead(deps.db, realmId, intervalMs / 2)) {
    const prefs = (await deps.ledger.preferences(realmId)) as {
      AccountingInfoPrefs?: { BookCloseDate?: string };
    };
    return saveBookClose(deps.db, realmId, prefs.AccountingInfoPrefs?.BookCloseDate?.slice(0, 10) ?? null);
  }
  for (let waited = 0; ; waited += 200) {
    const row = await getBookClose(deps.db, realmId);
    const settled = row?.readAt && row.claimedAt && row.readAt >= row.claimedAt;
    if (settled || waited >= 5_000) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
}
