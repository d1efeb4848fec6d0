import { Hono, type Context } from 'hono';
import { qboTimestamp } from '../clock';
import type { SimContext, SimEnv } from '../context';
import { faultBody, gatewayAuthFailure, gatewayThrottle } from '../envelopes';
import { faults } from '../qbo-error';
import { limitsOf } from '../company-seed';
import type { Company, QboObject } from '../state';
import { classifyRequest, entityOf, type DataOperation } from './classify-request';
import { envelopeError, jsonResponse, type DataResponse } from './data-response';
import { executeRequest, withTime } from './execute-request';
import { injectedFaultResponse } from './fault-responses';
import { pickFaults } from './injected-faults';

const WRITES = new Set<DataOperation>(['create', 'update', 'void', 'delete', 'batch']);

function send(c: Context<SimEnv>, response: DataResponse): Response {
  return c.body(response.body, response.status as 200, { 'Content-Type': response.contentType });
}

/** How many items of a batch answer are faults. */
function countItemFaults(result: QboObject): number | undefined {
  const answers = result.BatchItemResponse;
  return Array.isArray(answers) ? answers.filter((a: QboObject) => a?.Fault).length : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function run(
  sim: SimContext,
  company: Company,
  operation: DataOperation,
  segments: string[],
  rawBody: string,
  params: URLSearchParams,
): Promise<DataResponse> {
  const now = sim.clock.now();
  try {
    let body: QboObject | undefined;
    if (operation !== 'query' && rawBody.trim()) {
      try {
        body = JSON.parse(rawBody) as QboObject;
      } catch (err) {
        throw faults.malformedJson((err as Error).message);
      }
    }
    const includes = new Set((params.get('include') ?? '').toLowerCase().split(',').filter(Boolean));
    const result = await executeRequest(
      { company, now, includes },
      { segments, operation, body, rawBody, params },
    );
    if (WRITES.has(operation)) {
      sim.persister.changed();
      sim.webhooks.noteChanges(company);
    }
    return { ...jsonResponse(200, withTime(result, now)), itemFaults: countItemFaults(result) };
  } catch (err) {
    const error = envelopeError(err);
    return jsonResponse(error.httpStatus, faultBody([error], now), error.item.code);
  }
}

/** Requests with a requestid that are being answered now, by company: a repeat waits for the first. */
const answering = new WeakMap<Company, Map<string, Promise<DataResponse>>>();

/**
 * The answer to a POST with `requestid`: the stored reply of an earlier one (QuickBooks answers a repeat
 * without doing it again), the first one's answer if it is still running, else `execute()`'s, stored
 * unless it is a 5xx. Without a requestid, `execute()`.
 */
async function answerOnce(
  company: Company,
  requestid: string | undefined,
  execute: () => Promise<DataResponse>,
): Promise<DataResponse> {
  if (!requestid) return execute();
  const stored = company.replies[requestid];
  if (stored) return stored;
  let running = answering.get(company);
  if (!running) answering.set(company, (running = new Map()));
  const first = running.get(requestid);
  if (first) return first;
  const answer = execute().then((response) => {
    if (response.status < 500)
      company.replies[requestid] = {
        status: response.status,
        body: response.body,
        contentType: response.contentType,
        ...(response.itemFaults === undefined ? {} : { itemFaults: response.itemFaults }),
      };
    return response;
  });
  running.set(requestid, answer);
  try {
    return await answer;
  } finally {
    running.delete(requestid);
  }
}

/** Routes for `/v3/company/{realmId}/…`: auth, throttling, injected faults, requestid replay, then the request itself. */
export function createDataRoutes(sim: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  app.all('/v3/company/:realmId/*', async (c) => {
    const realmId = c.req.param('realmId');
    const company = sim.state.companies[realmId];
    const auth = c.req.header('authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!company || !token || !sim.tokens.checkAccess(token, realmId)) {
      const detail = token
        ? `Token expired: ${token.slice(0, 4)}...`
        : 'Malformed bearer token: too short or too long';
      return c.json(gatewayAuthFailure(detail, sim.clock.now()), 401);
    }
    const url = new URL(c.req.url);
    const segments = url.pathname.split('/').slice(4).filter(Boolean).map(decodeURIComponent);
    const method = c.req.method;
    const runtime = sim.runtime(realmId);
    const entity = entityOf(segments);
    const requestid = url.searchParams.get('requestid') ?? undefined;
    let items: number | undefined;
    let itemFaults: number | undefined;
    const log = (response: DataResponse, operation: DataOperation) =>
      runtime.log.record({
        ...(items === undefined ? {} : { items, itemFaults }),
        at: qboTimestamp(sim.clock.now()),
        method,
        path: url.pathname,
        entity,
        operation,
        requestid,
        status: response.status,
        intuitTid: c.get('tid'),
        faultCode: response.faultCode,
        ...(response.limit ? { limit: response.limit } : {}),
      });

    const isBatch = method === 'POST' && segments[0]?.toLowerCase() === 'batch';
    const refusal = runtime.limits.tryAdmit(sim.clock.now(), limitsOf(company), isBatch);
    if (refusal) {
      const throttled = jsonResponse(429, gatewayThrottle(sim.clock.now()), '3001');
      // Which limit refused it is ours to know (QuickBooks' body does not say): the log keeps it for tests.
      log({ ...throttled, limit: refusal }, classifyRequest(method, segments, url.searchParams, undefined));
      return send(c, throttled);
    }
    runtime.log.counters.maxConcurrentSeen = runtime.limits.maxSeen;
    try {
      const rawBody = method === 'POST' ? await c.req.text() : '';
      let parsedForClassify: QboObject | undefined;
      try {
        parsedForClassify =
          rawBody && segments[0]?.toLowerCase() !== 'query' ? (JSON.parse(rawBody) as QboObject) : undefined;
      } catch {
        parsedForClassify = undefined;
      }
      const operation = classifyRequest(method, segments, url.searchParams, parsedForClassify);
      if (operation === 'batch' && Array.isArray(parsedForClassify?.BatchItemRequest))
        items = parsedForClassify.BatchItemRequest.length;
      const respond = (response: DataResponse) => {
        if (items !== undefined && response.status === 200) itemFaults = response.itemFaults;
        log(response, operation);
        return send(c, response);
      };

      // Since August 2025 a minor version below 75 is ignored and answered as 75 (Intuit, 2025-01-21);
      // only a value that is no version at all is refused.
      const minor = url.searchParams.get('minorversion');
      if (minor !== null && !/^\d{1,4}$/.test(minor)) {
        const error = faults.unsupportedMinorVersion(minor);
        return respond(jsonResponse(400, faultBody([error], sim.clock.now()), error.item.code));
      }

      const { delayMs, outcome } = pickFaults([runtime.faults, sim.globalFaults], {
        method,
        entity,
        operation,
      });
      if (delayMs > 0) await sleep(delayMs);
      if (outcome && outcome.kind !== 'commit-then-lose' && outcome.kind !== 'transient-6000') {
        return respond(injectedFaultResponse(outcome, sim.clock.now()));
      }

      const response = await answerOnce(company, method === 'POST' ? requestid : undefined, () =>
        run(sim, company, operation, segments, rawBody, url.searchParams),
      );
      if (!outcome) return respond(response);
      if (outcome.kind === 'transient-6000' || outcome.lose !== 'timeout')
        return respond(injectedFaultResponse(outcome, sim.clock.now()));
      // commit-then-lose/timeout: the write is committed, then the caller never hears back.
      log({ ...response, status: 0 }, operation);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          sim.heldTimers.delete(timer);
          resolve();
        }, outcome.ms ?? 60_000);
        sim.heldTimers.add(timer);
      });
      c.env?.incoming?.socket?.destroy();
      return send(c, response);
    } finally {
      runtime.limits.release();
    }
  });
  return app;
}
