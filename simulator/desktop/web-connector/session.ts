import type { RequestOutcome } from '../company-file/process-request';

/** How a Web Connector session ended. */
export type SessionOutcome =
  | 'done'
  | 'none'
  | 'nvu'
  | 'version-refused'
  | 'connection-error'
  | 'server-error'
  | 'protocol-error'
  | 'dropped'
  | 'unreachable';

/** One SOAP call of a session as the player made it (the password never recorded). */
export interface SessionCall {
  method: string;
  params?: Record<string, string>;
  result?: string | string[];
  error?: string;
}

/** What a session did, for tests to assert on: every call, every qbXML request's status, the end. */
export interface SessionTranscript {
  sessionId: number;
  startedAt: string;
  endedAt?: string;
  outcome?: SessionOutcome;
  ticket?: string;
  companyFile?: string;
  calls: SessionCall[];
  requests: RequestOutcome[];
  errors: string[];
  /** authenticate's optional 3rd string: seconds QBWC waits before its next scheduled update. */
  nextUpdateSeconds?: number;
}
