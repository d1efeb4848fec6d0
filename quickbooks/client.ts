import axios, { type AxiosResponse } from 'axios';
import type { RealmBudget, RequestOutcome, TokenProvider } from './ports';
import { parseBody } from './fault-envelope';
import {
  classifyFault,
  classifyNetworkError,
  isFault,
  localFault,
  QboFault,
  type ClassifiedFault,
} from './faults';
import { batchBody, batchFailure, batchOutcomes, type PendingCall } from './batch-writes';
import { createWriteCoalescer } from './write-coalescer';

/** QuickBooks entity names, as the API spells them. */
export type QboEntity =
  'Customer' | 'Item' | 'Invoice' | 'Payment' | 'Account' | 'TaxCode' | 'Preferences' | 'CompanyInfo';

/** A QuickBooks record as returned: at least an Id and a SyncToken. */
export type QboRecord = { Id: string; SyncToken: string; [field: string]: unknown };

/** Anything pino-like. */
export interface QboLogger {
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export interface QboClientOptions {
  baseUrl: string;
  minorVersion: number;
  timeoutMs: number;
  tokens: TokenProvider;
  budget: RealmBudget;
  logger?: QboLogger;
  /** Called before each request waits and sends (the worker heartbeats its activity here). */
  onWait?: () => void;
  /**
   * The latest time (epoch ms) a write queued now may still be sent, e.g. shortly before the activity attempt
   * that asks for it times out (its retry may look the record up and write it itself).
   */
  sendBy?: () => number | undefined;
  /** Called once per read or query request sent (Intuit meters these per app): the caller counts them. */
  onRead?: (realmId: string) => void;
  /**
   * Gather creates, updates and query pages waiting in this process for one company into batch requests of at most
   * `maxItems` when more wait than single requests can carry (write-coalescer.ts). Off when absent.
   */
  batching?: {
    maxItems: number;
    maxSenders: number;
    /** Longest a write waits queued before it fails unsent (default 4 min). */ maxWaitMs?: number;
  };
}

/** A CDC answer: the changed objects by entity (deleted ones as `status: "Deleted"` stubs) and QuickBooks' time. */
export interface ChangesSince {
  objects: { entity: string; record: QboRecord & { status?: string } }[];
  /** The server's `time` of the answer: the next checkpoint when the answer was not full. */
  time: string;
}

export interface WriteOptions {
  /** Deterministic, ≤ 50 chars: QuickBooks answers a repeated id with the first response. */
  requestId: string;
}

/** The one module that speaks HTTP to QuickBooks. Every method throws only QboFault. */
export interface QboClient {
  create(
    realmId: string,
    entity: QboEntity,
    body: Record<string, unknown>,
    options: WriteOptions,
  ): Promise<QboRecord>;
  read(realmId: string, entity: QboEntity, id: string): Promise<QboRecord>;
  update(
    realmId: string,
    entity: QboEntity,
    body: Record<string, unknown> & { Id: string; SyncToken: string },
    options: WriteOptions & { sparse?: boolean },
  ): Promise<QboRecord>;
  void(
    realmId: string,
    entity: 'Invoice' | 'Payment',
    ref: { Id: string; SyncToken: string },
    options: WriteOptions,
  ): Promise<QboRecord>;
  /** Runs a SELECT, following STARTPOSITION/MAXRESULTS pages of 1000. */
  query<T = QboRecord>(realmId: string, select: string): Promise<T[]>;
  preferences(realmId: string): Promise<Record<string, unknown>>;
  /** Change data capture: what changed in these entities at or after `changedSince` (≤ 30 days, ≤ 1,000). */
  changesSince(realmId: string, entities: string[], changedSince: string): Promise<ChangesSince>;
}

const PAGE = 1000;

/** Escapes a value for a QuickBooks query string literal: backslash before `'` and `\`. */
export function escapeQueryValue(value: string): string {
  return value.replace(/[\\']/g, (c) => `\\${c}`);
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | number>;
  data?: unknown;
  /** A write may commit even if its response is lost. */
  write: boolean;
  /** A batch request: a 200 carries one answer per item, faults among them. */
  batch?: boolean;
}

/**
 * Builds the QuickBooks client. Each request takes a slot from the realm budget, uses the company's
 * access token (refreshing once on 401), tells the budget when QuickBooks throttled it, and classifies
 * every response (a 200 can carry a Fault). No axios error escapes: it holds the bearer token.
 */
export function createQboClient(options: QboClientOptions): QboClient {
  const { baseUrl, minorVersion, timeoutMs, tokens, budget, logger } = options;
  const http = axios.create({
    baseURL: baseUrl.replace(/\/+$/, ''),
    timeout: timeoutMs,
    validateStatus: () => true,
    responseType: 'text',
    // Bodies may be XML or an HTML gateway page: parse them ourselves.
    transformResponse: [(d: unknown) => d],
    maxRedirects: 0,
  });

  async function send(realmId: string, call: Call): Promise<Record<string, unknown>> {
    options.onWait?.();
    // A dead connection fails here, before it takes a slot of the company's budget (or counts as a read).
    const token = await tokens.accessToken(realmId);
    if (!call.write) options.onRead?.(realmId);
    const release = await budget.acquire(realmId);
    let outcome: RequestOutcome | undefined;
    try {
      return await exchange(realmId, call, token);
    } catch (err) {
      outcome = throttleOutcome(err);
      throw err;
    } finally {
      await release(outcome);
    }
  }

  /** One request and its answer, with a budget slot already held. */
  async function exchange(realmId: string, call: Call, token: string): Promise<Record<string, unknown>> {
    let res = await attempt(realmId, call, token);
    if (res.status === 401) {
      token = await tokens.refreshAfterRejection(realmId, token);
      res = await attempt(realmId, call, token);
    }
    const parsed = parseBody(res.data);
    const data = parsed.data as Record<string, unknown> | undefined;
    const answered = call.batch
      ? Array.isArray(data?.BatchItemResponse)
      : parsed.errors.length === 0 && !!data && typeof data === 'object';
    if (res.status >= 200 && res.status < 300 && answered) return data!;
    const fault = classifyFault(res.status, parsed.data ?? res.data, flatHeaders(res.headers));
    // A refusal of the token itself: say which generation was refused, so a reconnect can be told apart.
    if (fault.pause === 'auth') fault.connectionVersion ??= tokens.generation?.(realmId);
    // A 5xx (or a lost response, which gateways turn into 502/504) on a write may still have committed.
    throw failed(realmId, fault, call.write && fault.pattern === 'transient_server');
  }

  const callOf = (realmId: string, p: PendingCall): Call =>
    p.kind === 'query'
      ? {
          method: 'GET',
          path: `/v3/company/${encodeURIComponent(realmId)}/query`,
          params: { query: p.select },
          write: false,
        }
      : {
          method: 'POST',
          path: companyPath(realmId, p.entity),
          params: { requestid: p.requestId },
          data: p.body,
          write: true,
        };

  async function sendBatch(realmId: string, calls: PendingCall[]) {
    const call: Call = {
      method: 'POST',
      path: `/v3/company/${encodeURIComponent(realmId)}/batch`,
      data: batchBody(calls),
      write: calls.some((c) => c.kind === 'write'),
      batch: true,
    };
    try {
      return batchOutcomes(calls, await exchange(realmId, call, await tokens.accessToken(realmId)));
    } catch (err) {
      return calls.map((c): PromiseSettledResult<never> => ({
        status: 'rejected',
        reason: batchFailure(c, err),
      }));
    }
  }

  const coalescer =
    options.batching &&
    createWriteCoalescer<PendingCall, Record<string, unknown>>({
      budget,
      maxItems: options.batching.maxItems,
      maxSenders: options.batching.maxSenders,
      onWaiting: options.onWait,
      outcomeOf: throttleOutcome,
      maxWaitMs: options.batching.maxWaitMs,
      expired: (waitedMs) =>
        localFault(
          'throttled',
          `Not sent: waited ${Math.round(waitedMs / 1000)} s for the company's request budget`,
          'The write was dropped unsent so that a retry cannot race it.',
        ),
      sender: {
        one: async (realmId, p) => exchange(realmId, callOf(realmId, p), await tokens.accessToken(realmId)),
        many: sendBatch,
      },
    });

  /** A create, an update or a query page: coalesced with others waiting for the company when batching is on. */
  async function coalesced(realmId: string, p: PendingCall): Promise<Record<string, unknown>> {
    if (!coalescer) return send(realmId, callOf(realmId, p));
    options.onWait?.();
    // A dead connection fails here, before the call waits for (or takes) any of the company's budget.
    await tokens.accessToken(realmId);
    if (p.kind === 'query') options.onRead?.(realmId);
    return coalescer.submit(realmId, p, options.sendBy?.());
  }

  async function attempt(realmId: string, call: Call, token: string): Promise<AxiosResponse<string>> {
    try {
      return await http.request<string>({
        method: call.method,
        url: call.path,
        params: { ...call.params, minorversion: minorVersion },
        data: call.data,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(call.data === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      });
    } catch (err) {
      // Never rethrow the axios error: its config carries the Authorization header.
      const fault = classifyNetworkError(err);
      throw failed(realmId, fault, call.write && fault.uncertain);
    }
  }

  function failed(realmId: string, fault: ClassifiedFault, uncertain: boolean): QboFault {
    logger?.warn(
      {
        realmId,
        intuitTid: fault.intuitTid,
        pattern: fault.pattern,
        code: fault.code,
        status: fault.status,
        uncertain,
      },
      'QuickBooks request failed',
    );
    return new QboFault(fault, uncertain);
  }

  const companyPath = (realmId: string, entity: string) =>
    `/v3/company/${encodeURIComponent(realmId)}/${entity.toLowerCase()}`;

  function unwrap(entity: string, data: Record<string, unknown>): QboRecord {
    const record = data[entity];
    if (!record || typeof record !== 'object') {
      throw new QboFault(classifyFault(200, `QuickBooks answered without a ${entity} object`));
    }
    return record as QboRecord;
  }

  return {
    async create(realmId, entity, body, { requestId }) {
      return unwrap(
        entity,
        await coalesced(realmId, { kind: 'write', entity, operation: 'create', body, requestId }),
      );
    },

    async read(realmId, entity, id) {
      const data = await send(realmId, {
        method: 'GET',
        path: `${companyPath(realmId, entity)}/${encodeURIComponent(id)}`,
        write: false,
      });
      return unwrap(entity, data);
    },

    async update(realmId, entity, body, { requestId, sparse = true }) {
      return unwrap(
        entity,
        await coalesced(realmId, {
          kind: 'write',
          entity,
          operation: 'update',
          body: { ...body, sparse },
          requestId,
        }),
      );
    },

    async void(realmId, entity, ref, { requestId }) {
      // Invoices void with operation=void; payments with a sparse update that includes void.
      const payment = entity === 'Payment';
      const data = await send(realmId, {
        method: 'POST',
        path: companyPath(realmId, entity),
        params: payment
          ? { operation: 'update', include: 'void', requestid: requestId }
          : { operation: 'void', requestid: requestId },
        data: payment
          ? { Id: ref.Id, SyncToken: ref.SyncToken, sparse: true }
          : { Id: ref.Id, SyncToken: ref.SyncToken },
        write: true,
      });
      return unwrap(entity, data);
    },

    async query<T = QboRecord>(realmId: string, select: string): Promise<T[]> {
      const entity = /\bFROM\s+(\w+)/i.exec(select)?.[1];
      if (!entity)
        throw new QboFault(
          classifyFault(400, {
            Fault: { Error: [{ code: '4000', Message: 'Invalid query', Detail: 'no FROM clause' }] },
          }),
        );
      const rows: T[] = [];
      for (let start = 1; ; start += PAGE) {
        const data = await coalesced(realmId, {
          kind: 'query',
          select: `${select} STARTPOSITION ${start} MAXRESULTS ${PAGE}`,
        });
        const response = (data.QueryResponse ?? {}) as Record<string, unknown>;
        const key = Object.keys(response).find((k) => k.toLowerCase() === entity.toLowerCase());
        const page = (key ? response[key] : []) as T[];
        rows.push(...page);
        if (page.length < PAGE) return rows;
      }
    },

    async changesSince(realmId, entities, changedSince) {
      const data = await send(realmId, {
        method: 'GET',
        path: `/v3/company/${encodeURIComponent(realmId)}/cdc`,
        params: { entities: entities.join(','), changedSince },
        write: false,
      });
      const objects: ChangesSince['objects'] = [];
      for (const block of (data.CDCResponse ?? []) as { QueryResponse?: Record<string, unknown>[] }[]) {
        for (const response of block.QueryResponse ?? []) {
          for (const [entity, rows] of Object.entries(response)) {
            if (!Array.isArray(rows)) continue;
            for (const record of rows as QboRecord[]) objects.push({ entity, record });
          }
        }
      }
      return { objects, time: String(data.time ?? '') };
    },

    async preferences(realmId) {
      const data = await send(realmId, {
        method: 'GET',
        path: companyPath(realmId, 'Preferences'),
        write: false,
      });
      return unwrap('Preferences', data);
    },
  };
}

/** The budget learns of a throttle when the slot is given back: it then holds the whole company. */
function throttleOutcome(err: unknown): RequestOutcome | undefined {
  return isFault(err, 'throttled') ? { throttled: true, retryAfterMs: err.fault.retryAfterMs } : undefined;
}

function flatHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join(', ');
    else if (typeof v === 'number') out[k] = String(v);
  }
  return out;
}

/**
 * Reads `CompanyInfo/{realmId}` with an access token that is not stored yet (a fresh OAuth grant), so the
 * caller can prove the token is for that company before keeping it. Throws QboFault: a 401/403 means the
 * token does not open that company (another company's id, or one that exists nowhere).
 */
export async function readCompanyInfoWithToken(
  options: Pick<QboClientOptions, 'baseUrl' | 'minorVersion' | 'timeoutMs'>,
  realmId: string,
  accessToken: string,
): Promise<QboRecord> {
  let res: AxiosResponse<string>;
  try {
    res = await axios.get<string>(
      `${options.baseUrl.replace(/\/+$/, '')}/v3/company/${encodeURIComponent(realmId)}/companyinfo/${encodeURIComponent(realmId)}`,
      {
        params: { minorversion: options.minorVersion },
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        timeout: options.timeoutMs,
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: [(d: unknown) => d],
        maxRedirects: 0,
      },
    );
  } catch (err) {
    // Never rethrow the axios error: its config carries the Authorization header.
    throw new QboFault(classifyNetworkError(err));
  }
  const parsed = parseBody(res.data);
  const info = (parsed.data as Record<string, unknown> | undefined)?.CompanyInfo;
  if (res.status === 200 && parsed.errors.length === 0 && info && typeof info === 'object')
    return info as QboRecord;
  throw new QboFault(classifyFault(res.status, parsed.data ?? res.data, flatHeaders(res.headers)));
}
