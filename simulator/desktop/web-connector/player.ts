import { processRequestSet } from '../company-file/process-request';
import { QbxmlParseError } from '../company-file/qbxml-request';
import type { CompanyFile } from '../company-file/records';
import type { DesktopFaults } from '../desktop-faults';
import { hostCompanyPreferences } from './host-response';
import type { SessionOutcome, SessionTranscript } from './session';
import { callQbwc, QbwcUnreachableError } from './soap-client';
import { QbwcProtocolError, type QbwcMethod } from './soap-envelope';

/** What the admin typed into the Web Connector for this application (from the .QWC plus the password). */
export interface ConnectorSettings {
  appUrl: string;
  username: string;
  password: string;
  timeoutSeconds: number;
  fileId: string;
}

export interface PlayerDeps {
  file: CompanyFile;
  faults: DesktopFaults;
  nowMs(): number;
  signal?: AbortSignal;
}

/** The version the simulated Web Connector reports in clientVersion. */
export const QBWC_VERSION = '2.3.0.215';
/** A session never runs more requests than this (a server that never says 100 is a protocol error). */
const MAX_REQUESTS_PER_SESSION = 500;

class SessionEnd extends Error {
  constructor(
    readonly outcome: SessionOutcome,
    message?: string,
  ) {
    super(message ?? outcome);
  }
}

const sameFile = (a: string, b: string) =>
  a.replace(/\//g, '\\').toLowerCase() === b.replace(/\//g, '\\').toLowerCase();

/**
 * Plays one Web Connector session against the AppURL, as QBWC does: serverVersion, clientVersion,
 * authenticate, then sendRequestXML → company file → receiveResponseXML until 100 (or an error: -1 or ""
 * → getLastError), then closeConnection. Checks every answer against the QBWC contract; a violation ends the
 * session as `protocol-error` with no further call. Never throws: the transcript says how it ended.
 */
export async function runSession(
  settings: ConnectorSettings,
  deps: PlayerDeps,
  transcript: SessionTranscript,
): Promise<SessionTranscript> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const call = async (method: QbwcMethod, params: [string, string | number][]) => {
    const shown = Object.fromEntries(
      params.map(([k, v]) => [k, k === 'strPassword' ? '***' : String(v).slice(0, 2000)]),
    );
    const entry: SessionTranscript['calls'][number] = { method, params: shown };
    transcript.calls.push(entry);
    try {
      const result = await callQbwc(settings.appUrl, method, params, timeoutMs, deps.signal);
      entry.result = result;
      return result;
    } catch (err) {
      entry.error = (err as Error).message;
      throw err;
    }
  };
  const stringResult = (method: string, value: string | string[] | undefined) => {
    if (Array.isArray(value)) throw new QbwcProtocolError(`${method}: expected a string`);
    return value ?? '';
  };

  try {
    // serverVersion and clientVersion are optional for a web service: a Fault there is noted, not fatal.
    try {
      await call('serverVersion', []);
    } catch (err) {
      if (err instanceof QbwcUnreachableError) throw err;
      transcript.errors.push(`serverVersion not supported: ${(err as Error).message}`);
    }
    let clientAnswer = '';
    try {
      clientAnswer = stringResult(
        'clientVersion',
        await call('clientVersion', [['strVersion', QBWC_VERSION]]),
      );
    } catch (err) {
      if (err instanceof QbwcUnreachableError) throw err;
      transcript.errors.push(`clientVersion not supported: ${(err as Error).message}`);
    }
    if (clientAnswer.startsWith('E:') || clientAnswer.startsWith('O:'))
      throw new SessionEnd('version-refused', `clientVersion answered ${clientAnswer}`);
    if (clientAnswer.startsWith('W:'))
      transcript.errors.push(`clientVersion warning: ${clientAnswer.slice(2)}`);
    else if (clientAnswer !== '')
      throw new QbwcProtocolError(`clientVersion: unknown answer "${clientAnswer}"`);

    const auth = await call('authenticate', [
      ['strUserName', settings.username],
      ['strPassword', settings.password],
    ]);
    if (!Array.isArray(auth) || auth.length < 2)
      throw new QbwcProtocolError('authenticate: expected at least two strings [ticket, status]');
    const [ticket, status, waitSeconds] = auth;
    if (waitSeconds !== undefined && waitSeconds !== '') {
      if (!/^\d+$/.test(waitSeconds))
        throw new QbwcProtocolError(`authenticate: wait "${waitSeconds}" is not seconds`);
      transcript.nextUpdateSeconds = Number(waitSeconds);
    }
    if (status === 'nvu') throw new SessionEnd('nvu', 'authenticate: not a valid user');
    if (status === 'none') throw new SessionEnd('none');
    if (!ticket) throw new QbwcProtocolError(`authenticate: empty ticket with status "${status}"`);
    transcript.ticket = ticket;

    // "" means the company file open now; a path must name it, else QBWC cannot open it and says so.
    let wanted = status;
    for (let attempt = 0; wanted !== '' && !sameFile(wanted, deps.file.filePath); attempt++) {
      if (attempt >= 3) throw new SessionEnd('connection-error', `could not open ${wanted}`);
      const answer = stringResult(
        'connectionError',
        await call('connectionError', [
          ['ticket', ticket],
          ['hresult', '0x80040408'],
          ['message', 'Could not start QuickBooks.'],
        ]),
      );
      if (answer === 'done') throw new SessionEnd('connection-error', `could not open ${wanted}`);
      wanted = answer;
    }
    transcript.companyFile = deps.file.filePath;

    for (let sent = 0; ; sent++) {
      if (sent >= MAX_REQUESTS_PER_SESSION)
        throw new QbwcProtocolError(`no 100 after ${MAX_REQUESTS_PER_SESSION} requests`);
      const request = stringResult(
        'sendRequestXML',
        await call('sendRequestXML', [
          ['ticket', ticket],
          ['strHCPResponse', sent === 0 ? hostCompanyPreferences(deps.file, settings.fileId) : ''],
          ['strCompanyFileName', deps.file.filePath],
          ['qbXMLCountry', 'US'],
          ['qbXMLMajorVers', 13],
          ['qbXMLMinorVers', 0],
        ]),
      );
      if (request === '') {
        await lastError(call, ticket, transcript);
        await call('closeConnection', [['ticket', ticket]]);
        throw new SessionEnd('server-error', 'sendRequestXML returned no request');
      }
      let response = '';
      let hresult = '';
      let message = '';
      try {
        const result = processRequestSet(deps.file, request, deps.faults, deps.nowMs());
        response = result.xml;
        transcript.requests.push(...result.outcomes);
        if (
          deps.faults.take(
            'drop-session',
            result.outcomes.map((o) => o.request),
          )
        )
          throw new SessionEnd('dropped', 'the session died after QuickBooks applied the request');
      } catch (err) {
        if (!(err instanceof QbxmlParseError)) throw err;
        hresult = err.hresult;
        message = err.message;
        transcript.errors.push(`request refused by the request processor: ${err.detail}`);
      }
      const percent = stringResult(
        'receiveResponseXML',
        await call('receiveResponseXML', [
          ['ticket', ticket],
          ['response', response],
          ['hresult', hresult],
          ['message', message],
        ]),
      );
      if (!/^-?\d+$/.test(percent.trim()))
        throw new QbwcProtocolError(`receiveResponseXML: "${percent}" is not an integer`);
      const done = Number(percent);
      if (done > 100) throw new QbwcProtocolError(`receiveResponseXML: ${done} is above 100`);
      if (done < 0) {
        await lastError(call, ticket, transcript);
        await call('closeConnection', [['ticket', ticket]]);
        throw new SessionEnd('server-error', `receiveResponseXML returned ${done}`);
      }
      if (done === 100) break;
    }
    await call('closeConnection', [['ticket', ticket]]);
    transcript.outcome = 'done';
  } catch (err) {
    if (err instanceof SessionEnd) transcript.outcome = err.outcome;
    else if (err instanceof QbwcUnreachableError) transcript.outcome = 'unreachable';
    else if (err instanceof QbwcProtocolError) transcript.outcome = 'protocol-error';
    else transcript.outcome = 'protocol-error';
    if (!(err instanceof SessionEnd) || err.message !== err.outcome)
      transcript.errors.push((err as Error).message);
  }
  transcript.endedAt = new Date(deps.nowMs()).toISOString();
  return transcript;
}

async function lastError(
  call: (method: QbwcMethod, params: [string, string][]) => Promise<string | string[] | undefined>,
  ticket: string,
  transcript: SessionTranscript,
): Promise<void> {
  const text = await call('getLastError', [['ticket', ticket]]);
  transcript.errors.push(`getLastError: ${Array.isArray(text) ? text.join(' ') : (text ?? '')}`);
}
