import { randomUUID } from 'node:crypto';
import type { CompanyFile } from '../company-file/records';
import type { DesktopFaults } from '../desktop-faults';
import { runSession, type ConnectorSettings } from './player';
import type { SessionTranscript } from './session';

/** How many transcripts a connector keeps (oldest dropped first). */
const KEPT_SESSIONS = 100;

export interface ConnectorConfig {
  appUrl: string;
  username: string;
  password: string;
  pollSeconds?: number;
  timeoutSeconds?: number;
}

/**
 * The Web Connector on the customer's PC for one company file: its settings, its schedule (`pollSeconds`,
 * or authenticate's "wait before next update"), whether the PC is on, and the sessions it ran. Sessions never
 * overlap: a poll asked for while one runs starts when that one ends.
 */
export class WebConnector {
  private settings?: ConnectorSettings & { pollSeconds?: number };
  private timer?: NodeJS.Timeout;
  private running?: Promise<SessionTranscript>;
  private readonly abort = new AbortController();
  private nextSessionId = 1;
  private closed = false;
  offline = false;
  lastPollAt?: string;
  readonly sessions: SessionTranscript[] = [];
  /** The .QWC FileID, generated once per company file as the admin's .QWC install does. */
  readonly fileId = `{${randomUUID().toUpperCase()}}`;

  constructor(
    private readonly file: CompanyFile,
    private readonly faults: DesktopFaults,
    private readonly nowMs: () => number,
  ) {}

  configure(config: ConnectorConfig): void {
    this.settings = { ...config, timeoutSeconds: config.timeoutSeconds ?? 30, fileId: this.fileId };
    this.schedule(config.pollSeconds);
  }

  /** The settings without the password. */
  describe() {
    const {
      password: _password,
      fileId: _fileId,
      ...shown
    } = this.settings ?? ({} as Partial<ConnectorSettings>);
    return {
      configured: this.settings !== undefined,
      ...shown,
      fileId: this.fileId,
      offline: this.offline,
      polling: this.running !== undefined,
      lastPollAt: this.lastPollAt ?? null,
      sessions: this.sessions.length,
    };
  }

  get isConfigured(): boolean {
    return this.settings !== undefined;
  }

  /** Runs a session now (after the one running, if any) and resolves with its transcript. */
  async pollNow(): Promise<SessionTranscript> {
    while (this.running) await this.running.catch(() => undefined);
    const settings = this.settings!;
    const transcript: SessionTranscript = {
      sessionId: this.nextSessionId++,
      startedAt: new Date(this.nowMs()).toISOString(),
      calls: [],
      requests: [],
      errors: [],
    };
    this.lastPollAt = transcript.startedAt;
    this.sessions.push(transcript);
    if (this.sessions.length > KEPT_SESSIONS) this.sessions.shift();
    const deps = { file: this.file, faults: this.faults, nowMs: this.nowMs, signal: this.abort.signal };
    this.running = runSession(settings, deps, transcript);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
      // Like QBWC after any run: the next scheduled one counts from now (or from the server's wish).
      this.schedule(transcript.nextUpdateSeconds ?? settings.pollSeconds);
    }
  }

  goOffline(): void {
    this.offline = true;
    clearTimeout(this.timer);
  }

  /** The PC is back: QBWC starts, finds the schedule overdue and runs at once. */
  async comeOnline(): Promise<SessionTranscript | undefined> {
    this.offline = false;
    if (!this.settings) return undefined;
    return this.pollNow();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private schedule(seconds: number | undefined): void {
    clearTimeout(this.timer);
    if (seconds === undefined || this.closed || this.offline) return;
    this.timer = setTimeout(() => {
      if (!this.offline && !this.closed) void this.pollNow();
    }, seconds * 1000);
    this.timer.unref();
  }
}
