import { getConnectionSummary, listConnections, type ConnectionSummary } from '../../db/queries/connections';
import {
  getDesktopConnection,
  listDesktopConnections,
  type DesktopConnection,
} from '../../db/queries/desktop-connections';
import { syncStates, type ErrorPattern, type SyncError, type SyncState } from '../../workflows/contract';
import type { ApiDeps } from '../deps';
import { listSyncs, syncListQuery, type SyncListItem } from '../services/list-syncs';
import { readSync } from '../services/read-sync';
import { syncLinks } from '../services/sync-links';

/** A sync as the page shows it, with where to look further. */
export interface SyncRow extends SyncListItem {
  temporalUiUrl: string;
  statusUrl: string;
}

/** A sync that waits for a person, with what it waits on. */
export interface WaitingSync extends SyncRow {
  summary: string;
  lastError: SyncError | null;
}

/** A QuickBooks Desktop company's Web Connector, as the page shows it. */
export interface DesktopConnector {
  username: string;
  lastPolledAt: Date | null;
  lastError: string | null;
}

export interface CompanyOverview {
  connection: ConnectionSummary;
  desktop?: DesktopConnector;
  needsAttention: number | null;
  paused: number | null;
  /** Syncs per state; null where visibility cannot count. */
  states: Record<SyncState, number | null>;
}

export interface CompanyDiagnostics {
  connection: ConnectionSummary;
  desktop?: DesktopConnector;
  recent: SyncRow[];
  /** needs_attention syncs grouped by error pattern, largest group first. */
  failures: { pattern: ErrorPattern | 'unknown'; syncs: WaitingSync[] }[];
  paused: WaitingSync[];
}

async function count(deps: ApiDeps, realmId: string, state: SyncState): Promise<number | null> {
  try {
    return (await deps.temporal.workflow.count(syncListQuery({ realmId, state }))).count;
  } catch {
    return null; // The page still shows the company when Temporal's visibility cannot count.
  }
}

/** How many of the company's syncs wait for a person (null where visibility cannot count). */
export async function countWaiting(deps: ApiDeps, realmId: string) {
  const [needsAttention, paused] = await Promise.all([
    count(deps, realmId, 'needs_attention'),
    count(deps, realmId, 'paused'),
  ]);
  return { needsAttention, paused };
}

/** Every connected company with how many of its syncs wait for a person. */
export async function loadOverview(deps: ApiDeps): Promise<CompanyOverview[]> {
  const online = (await listConnections(deps.db)).map((connection) => ({ connection }));
  const desktop = (await listDesktopConnections(deps.db)).map(desktopCompany);
  return Promise.all(
    [...online, ...desktop].map(async ({ connection, ...rest }) => {
      const counted = await Promise.all(syncStates.map((s) => count(deps, connection.realmId, s)));
      const states = Object.fromEntries(
        syncStates.map((s, i) => [s, counted[i]]),
      ) as CompanyOverview['states'];
      return { connection, ...rest, needsAttention: states.needs_attention, paused: states.paused, states };
    }),
  );
}

/** One company's connection, recent syncs, failures by pattern and paused syncs; undefined when unknown. */
export async function loadCompany(deps: ApiDeps, realmId: string): Promise<CompanyDiagnostics | undefined> {
  const desktopRow = await getDesktopConnection(deps.db, realmId);
  const { connection, desktop } = desktopRow
    ? desktopCompany(desktopRow)
    : { connection: await getConnectionSummary(deps.db, realmId), desktop: undefined };
  if (!connection) return undefined;
  const withLinks = (s: SyncListItem): SyncRow => ({ ...s, ...syncLinks(deps.config, s.syncId) });
  const waiting = async (state: SyncState) =>
    Promise.all(
      (await listSyncs(deps.temporal, { realmId, state, limit: 50 })).map(async (s): Promise<WaitingSync> => {
        const view = await readSync(deps.temporal, s.syncId);
        // Visibility lags the workflow by a moment: trust the workflow's own answer for the state.
        return {
          ...withLinks(s),
          state: view?.state ?? s.state,
          summary: view?.summary ?? '',
          lastError: view?.lastError ?? null,
        };
      }),
    );
  const [recent, attention, paused] = await Promise.all([
    listSyncs(deps.temporal, { realmId, limit: 25 }),
    waiting('needs_attention'),
    waiting('paused'),
  ]);
  const groups = new Map<ErrorPattern | 'unknown', WaitingSync[]>();
  for (const s of attention.filter((a) => a.state === 'needs_attention')) {
    const pattern = s.lastError?.pattern ?? 'unknown';
    groups.set(pattern, [...(groups.get(pattern) ?? []), s]);
  }
  return {
    connection,
    desktop,
    recent: recent.map(withLinks),
    failures: [...groups]
      .map(([pattern, syncs]) => ({ pattern, syncs }))
      .sort((a, b) => b.syncs.length - a.syncs.length),
    paused: paused.filter((p) => p.state === 'paused'),
  };
}

/**
 * A QuickBooks Desktop company in the shape the pages show every company: environment `desktop`, active
 * while registered (it has no tokens: the dates are its registration), with its Web Connector's last poll.
 */
function desktopCompany(row: DesktopConnection): {
  connection: ConnectionSummary;
  desktop: DesktopConnector;
} {
  const since = row.createdAt;
  return {
    connection: {
      realmId: row.realmId,
      companyName: row.companyName,
      environment: 'desktop',
      status: 'active',
      statusReason: row.lastError,
      accessTokenExpiresAt: since,
      refreshTokenExpiresAt: since,
      refreshTokenHardExpiresAt: null,
      refreshTokenIssuedAt: since,
      tokenVersion: 1,
      connectedAt: since,
      updatedAt: since,
    },
    desktop: { username: row.username, lastPolledAt: row.lastPolledAt, lastError: row.lastError },
  };
}
