import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { getDesktopConnection } from '../db/queries/desktop-connections';
import {
  cancelIfQueued,
  enqueueRequest,
  getRequest,
  type DesktopRequest,
} from '../db/queries/desktop-requests';
import { localFault, QboFault } from '../quickbooks/faults';
import type { Criterion, FindCriteria, Ledger, LedgerRecord } from '../sync/ledger';
import { parseQbxmlMessages, parseQbxmlResponse, type QbxmlResponse } from './qbxml';
import { canonicalPreferences, canonicalRecord } from './qbxml-records';
import {
  addRequest,
  findRequest,
  modRequest,
  preferencesRequest,
  readRequest,
  voidRequest,
} from './qbxml-requests';
import { classifyDesktopStatus, isDesktopSuccess } from './status-codes';

export interface DesktopLedgerOptions {
  db: Db;
  /** How long one request waits for the Web Connector before its step gives up (and pauses or retries). */
  waitMs: number;
  /** A connector silent for longer than this is offline: the step pauses (connector_offline). */
  offlineAfterMs: number;
  /** How often a waiting request looks for its answer. */
  pollMs: number;
  /** Called while a request waits (the worker heartbeats its activity here). */
  onWait?: () => void;
}

/**
 * The ledger port over QuickBooks Desktop. We never call Desktop: each operation becomes a qbXML request
 * in the company's Postgres queue (desktop_requests), and the activity waits, heartbeating, for the Web
 * Connector to carry it to QuickBooks and bring the answer back (api/routes/web-connector.ts).
 *
 * Why wait inside the activity (heartbeating) rather than complete it asynchronously with its task token
 * or signal the workflow: one step is several dependent requests (look up, then add, then re-read on a
 * stale EditSequence), which the shared step code (sync/converge.ts) runs as one function for either
 * ledger. Async completion ends an activity once, and a signal per request would move that logic into
 * the workflow. The wait is bounded: a connector that stays away ends it with connector_offline, which
 * pauses the sync through the existing pause machinery until the connector polls again.
 *
 * Exactly once: a write's requestid keys its queue row, so a retried step gets the first answer rather
 * than a second record; a request handed out in a session that died unanswered is "lost" and fails
 * uncertain, so converge looks the record up (name, RefNumber, memo marker) before sending it again.
 */
export function desktopLedger(options: DesktopLedgerOptions): Ledger {
  const { db } = options;

  async function exchange(realmId: string, qbxml: string, requestKey?: string): Promise<QbxmlResponse> {
    const write = requestKey !== undefined;
    const enqueue = () =>
      enqueueRequest(db, { realmId, requestKey, bodyHash: sha256(qbxml), qbxml }, resendable);
    let row = await enqueue();
    const started = Date.now();
    for (;;) {
      options.onWait?.();
      const now = await getRequest(db, row.id);
      if (!now) throw localFault('transient_server', 'The Desktop request disappeared from the queue');
      row = now;
      if (row.status === 'answered') return parsed(row, write);
      if (row.status === 'failed')
        throw new QboFault(
          classifyDesktopStatus(
            0,
            `QuickBooks could not process the request: ${row.response ?? ''}`,
            'other',
          ),
        );
      if (row.status === 'cancelled' || (row.status === 'lost' && !write)) {
        // Withdrawn by another waiter that gave up, or a read lost with its session: reads are safe to resend.
        row = await enqueue();
        continue;
      }
      if (row.status === 'lost')
        throw new QboFault(
          lostFault('QuickBooks Desktop may have applied this request: its session ended unanswered'),
          true,
        );
      if (Date.now() - started >= options.waitMs) throw await gaveUp(realmId, row, write);
      await new Promise((r) => setTimeout(r, options.pollMs));
    }
  }

  async function gaveUp(realmId: string, row: DesktopRequest, write: boolean): Promise<QboFault> {
    const withdrawn = row.status === 'queued' && (await cancelIfQueued(db, row.id));
    const connection = await getDesktopConnection(db, realmId);
    const last = connection?.lastPolledAt;
    const offline = !last || Date.now() - last.getTime() > options.offlineAfterMs;
    const since = last ? last.toISOString() : 'never';
    const fault = offline
      ? localFault(
          'connector_offline',
          `Waiting for the Web Connector since ${since}`,
          `QuickBooks Desktop company ${realmId}: the Web Connector last polled ${since}.`,
        )
      : localFault(
          'transient_server',
          'The Web Connector did not take this request in time',
          `It last polled ${since}; the request waits behind others or for the next scheduled poll.`,
        );
    // A write it had taken may have been applied: look before sending it again.
    return new QboFault(fault.fault, write && !withdrawn && row.status === 'sent');
  }

  async function records(realmId: string, qbxml: string, requestKey?: string): Promise<LedgerRecord[]> {
    const response = await exchange(realmId, qbxml, requestKey);
    return response.records.flatMap(({ type, record }) => canonicalRecord(type, record) ?? []);
  }

  async function one(realmId: string, qbxml: string, requestKey?: string): Promise<LedgerRecord> {
    const [record] = await records(realmId, qbxml, requestKey);
    if (!record) throw new QboFault(classifyDesktopStatus(3120, 'QuickBooks Desktop returned no record'));
    return record;
  }

  async function hostRecord(realmId: string, type: string): Promise<Record<string, unknown> | undefined> {
    const hostInfo = (await getDesktopConnection(db, realmId))?.hostInfo;
    if (!hostInfo) return undefined;
    try {
      return parseQbxmlMessages(hostInfo)
        .flatMap((m) => m.records)
        .find((r) => r.type === type)?.record;
    } catch {
      return undefined;
    }
  }

  const ledger: Ledger = {
    create: (realmId, entity, body, { requestId }) =>
      one(realmId, addRequest(entity, body, requestId), requestId),
    read: (realmId, entity, id) => one(realmId, readRequest(entity, id)),
    async update(realmId, entity, body, { requestId }) {
      const type =
        entity === 'Item' && body.Type === undefined
          ? (await ledger.read(realmId, 'Item', body.Id)).Type
          : undefined;
      return one(realmId, modRequest(entity, body, requestId, type), requestId);
    },
    async void(realmId, entity, ref, { requestId }) {
      await exchange(realmId, voidRequest(entity, ref.Id, requestId), requestId);
      return ledger.read(realmId, entity, ref.Id);
    },
    async find(realmId, entity, criteria: FindCriteria = {}) {
      const found = await records(realmId, findRequest(entity, criteria));
      return found.filter((r) => meets(r, criteria));
    },
    // The Web Connector sends the company's and its preferences' answers at the start of every session:
    // read them from there (the newest session's) rather than queue a request; ask only before the first.
    async preferences(realmId) {
      const host = await hostRecord(realmId, 'PreferencesRet');
      if (host) return canonicalPreferences(host);
      const response = await exchange(realmId, preferencesRequest());
      return canonicalPreferences(response.records[0]?.record);
    },
    async companyInfo(realmId) {
      const company = await hostRecord(realmId, 'CompanyRet');
      if (!company) return one(realmId, readRequest('CompanyInfo', realmId));
      const host = await hostRecord(realmId, 'HostRet');
      const info = canonicalRecord('CompanyRet', company)!;
      const country = info.Country ?? (host?.Country ? String(host.Country) : null);
      return { ...info, Country: country, CompanyAddr: { Country: country } };
    },
  };
  return ledger;
}

/** A keyed write goes back in the queue when it never reached QuickBooks or QuickBooks refused it. */
function resendable(row: DesktopRequest): boolean {
  if (row.status === 'cancelled' || row.status === 'lost' || row.status === 'failed') return true;
  if (row.status !== 'answered') return false;
  try {
    return !isDesktopSuccess(parseQbxmlResponse(row.response ?? '').statusCode);
  } catch {
    return true;
  }
}

function parsed(row: DesktopRequest, write: boolean): QbxmlResponse {
  let response: QbxmlResponse;
  try {
    response = parseQbxmlResponse(row.response ?? '');
  } catch (err) {
    throw new QboFault(
      lostFault(`The Web Connector brought back an unreadable answer: ${(err as Error).message}`),
      write,
    );
  }
  if (!isDesktopSuccess(response.statusCode))
    throw new QboFault(classifyDesktopStatus(response.statusCode, response.statusMessage));
  return response;
}

function lostFault(message: string) {
  return localFault('transient_server', message).fault;
}

/** Whether a canonical record meets every criterion (qbXML's filters are coarser than ours). */
function meets(record: LedgerRecord, criteria: FindCriteria): boolean {
  const active = record.Active !== false;
  if ((criteria.active ?? 'active') === 'active' && !active && record.Active !== undefined) return false;
  if (criteria.active === 'inactive' && active) return false;
  return (criteria.where ?? []).every((c) => matches(fieldValue(record, c.field), c));
}

function fieldValue(record: LedgerRecord, field: string): string {
  const v = field
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], record);
  if (v && typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return v === undefined || v === null ? '' : String(v);
}

function matches(value: string, c: Criterion): boolean {
  if (c.op === '=') return value.toLowerCase() === c.value.toLowerCase();
  if (c.op === 'contains') return value.toLowerCase().includes(c.value.toLowerCase());
  return c.op === '>=' ? value >= c.value : value <= c.value;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
