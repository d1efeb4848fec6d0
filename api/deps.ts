import type { Client } from '@temporalio/client';
import type { QboClient } from '../quickbooks/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../lib/logger';
import type { PauseReason } from '../workflows/contract';
import type { ResumeOutcome } from './services/resume-paused-syncs';

/** A read-only view of QuickBooks for the admin side (health checks, mapping suggestions). */
export type QboReader = Pick<QboClient, 'read' | 'query' | 'preferences'>;

/** Everything the API needs, passed in so tests can build the app against real services. */
export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
  qbo: QboReader;
  /** Signals every sync of the company that may be paused for `reason`; says how many it reached. */
  resumePausedSyncs(realmId: string, reason: PauseReason): Promise<ResumeOutcome>;
}
