import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import {
  closeSession,
  getDesktopConnectionByUser,
  markPolled,
  openSession,
  saveHostInfo,
  setSessionError,
  touchSession,
  type DesktopSession,
} from '../db/queries/desktop-connections';
import {
  answerCurrentRequest,
  failCurrentRequest,
  countAnsweredSince,
  countQueued,
  loseUnanswered,
  takeNextRequest,
} from '../db/queries/desktop-requests';
import { QBXML_VERSION } from './qbxml';
import { verifyPassword } from './password';

export interface WebConnectorOptions {
  db: Db;
  /** After an answer (or at authenticate), how long to wait for the step's next request before saying done. */
  followUpMs: number;
  /** A ticket unused for this long is refused (the Web Connector authenticates again). */
  sessionIdleMs: number;
  version: string;
}

/** The answers to the Web Connector's calls (QBWC programmer's guide), independent of SOAP. */
export interface WebConnectorService {
  serverVersion(): string;
  clientVersion(version: string): string;
  authenticate(username: string, password: string): Promise<string[]>;
  sendRequestXML(ticket: string, hostInfo: string, qbxmlMajorVersion?: string): Promise<string>;
  receiveResponseXML(ticket: string, response: string, hresult: string, message: string): Promise<number>;
  connectionError(ticket: string, hresult: string, message: string): Promise<string>;
  getLastError(ticket: string): Promise<string>;
  closeConnection(ticket: string): Promise<string>;
}

const INVALID_TICKET =
  'qbo-sync does not know this session (ticket): the Web Connector will authenticate again.';

/**
 * The Web Connector's side of the Desktop queue. It authenticates per company (scrypt hash, constant-time,
 * the same work for an unknown user), gets an opaque random ticket of which only the SHA-256 is stored,
 * takes queued requests one at a time in order and brings each answer back. Nothing is lost when a
 * session dies: a request it held unanswered becomes "lost" when the next session starts or this one
 * closes, and its step looks the record up before sending again. Every call records the poll time the
 * connector_offline pause checks.
 */
export function createWebConnector(options: WebConnectorOptions): WebConnectorService {
  const { db } = options;

  async function session(ticket: string): Promise<DesktopSession | undefined> {
    if (!ticket || ticket.length > 200) return undefined;
    const row = await touchSession(db, hashTicket(ticket), options.sessionIdleMs);
    if (!row) return undefined;
    await markPolled(db, row.realmId);
    return row;
  }

  /** Waits briefly for a request to appear: a step sends its next one right after reading an answer. */
  async function queuedSoon(realmId: string): Promise<number> {
    const until = Date.now() + options.followUpMs;
    for (;;) {
      const queued = await countQueued(db, realmId);
      if (queued > 0 || Date.now() >= until) return queued;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Percent done for QBWC: 100 ends the session, below it QBWC asks for the next request. */
  async function progress(s: DesktopSession): Promise<number> {
    const queued = await queuedSoon(s.realmId);
    if (queued === 0) return 100;
    const done = await countAnsweredSince(db, s.realmId, s.ticketHash);
    return Math.min(99, Math.max(1, Math.floor((100 * done) / (done + queued))));
  }

  return {
    serverVersion: () => options.version,
    // Any Web Connector version that speaks this protocol will do.
    clientVersion: () => '',

    async authenticate(username, password) {
      const connection = username.length <= 200 ? await getDesktopConnectionByUser(db, username) : undefined;
      const ok = await verifyPassword(password.slice(0, 1000), connection?.passwordHash);
      if (!ok || !connection) return ['', 'nvu'];
      const ticket = randomBytes(32).toString('base64url');
      const ticketHash = hashTicket(ticket);
      await openSession(db, ticketHash, connection.realmId);
      // This session supersedes any earlier one: what they held unanswered is lost, not pending forever.
      await loseUnanswered(db, connection.realmId, { except: ticketHash });
      await markPolled(db, connection.realmId, null);
      const queued = await queuedSoon(connection.realmId);
      // "" = use the company file open in QuickBooks; "none" = nothing to do, come back on schedule.
      return [ticket, queued > 0 ? '' : 'none'];
    },

    async sendRequestXML(ticket, hostInfo, qbxmlMajorVersion) {
      const s = await session(ticket);
      if (!s) return '';
      // Sent once per session: the company's name, country and preferences (closing date) without a request.
      if (hostInfo && hostInfo.length <= 1_000_000) await saveHostInfo(db, s.realmId, hostInfo);
      const major = Number(qbxmlMajorVersion);
      if (qbxmlMajorVersion && Number.isFinite(major) && major < Number(QBXML_VERSION.split('.')[0])) {
        await setSessionError(
          db,
          s.ticketHash,
          `This QuickBooks speaks qbXML ${major}; qbo-sync needs ${QBXML_VERSION} (QuickBooks Desktop 2013 or later).`,
        );
        return '';
      }
      const next = await takeNextRequest(db, s.realmId, s.ticketHash);
      if (!next) await setSessionError(db, s.ticketHash, 'No request is waiting.');
      return next?.qbxml ?? '';
    },

    async receiveResponseXML(ticket, response, hresult, message) {
      const s = await session(ticket);
      if (!s) return -1;
      if (hresult) {
        // QuickBooks' request processor refused the request whole (it validates a message set before applying
        // any of it): its step gets the error; the session goes on with the next request.
        const text = `QuickBooks reported ${hresult.slice(0, 40)}: ${message.slice(0, 500)}`;
        await markPolled(db, s.realmId, text);
        await failCurrentRequest(db, s.ticketHash, text);
        return progress(s);
      }
      await answerCurrentRequest(db, s.ticketHash, response);
      return progress(s);
    },

    async connectionError(ticket, hresult, message) {
      const s = await session(ticket);
      if (s) {
        const text = `The Web Connector could not open QuickBooks (${hresult.slice(0, 40)}): ${message.slice(0, 500)}`;
        await markPolled(db, s.realmId, text);
        await loseUnanswered(db, s.realmId, { session: s.ticketHash });
        await closeSession(db, s.ticketHash);
      }
      return 'done';
    },

    async getLastError(ticket) {
      const s = await session(ticket);
      if (!s) return INVALID_TICKET;
      return s.lastError ?? 'No error.';
    },

    async closeConnection(ticket) {
      const s = await session(ticket);
      if (!s) return INVALID_TICKET;
      await loseUnanswered(db, s.realmId, { session: s.ticketHash });
      await closeSession(db, s.ticketHash);
      return 'qbo-sync: done.';
    },
  };
}

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}
