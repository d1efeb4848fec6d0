import type { Db } from '../db/client';
import type { QboClient } from '../quickbooks/client';
import type { Ledger } from './ledger';
import type { RecordAction } from '../workflows/contract';

/** What every sync step gets from the worker (or a test). */
export interface SyncDeps {
  db: Db;
  /** The company's books (QuickBooks Online or Desktop): every step reads and writes through this. */
  ledger: Ledger;
  /** QuickBooks Online only: change tracking (CDC). */
  qbo: QboClient;
  config: { throttleBackoffMs: number };
}

/** What an ensure activity returns: the QuickBooks id and what was done to reach it. */
export type EnsureResult = { qboId: string; action: RecordAction };
