import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** A QuickBooks company this service may write to, with its OAuth tokens encrypted at rest. */
export const connections = pgTable('connections', {
  realmId: text().primaryKey(),
  companyName: text(),
  environment: text().notNull(), // sandbox | production
  status: text().notNull(), // active | needs_reauth | revoked
  statusReason: text(),
  keyId: text().notNull(),
  accessTokenEnc: text().notNull(),
  refreshTokenEnc: text().notNull(),
  accessTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
  refreshTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
  refreshTokenHardExpiresAt: timestamp({ withTimezone: true }),
  refreshTokenIssuedAt: timestamp({ withTimezone: true }).notNull(),
  tokenVersion: integer().notNull().default(1),
  connectedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** OAuth `state` values: single use, short-lived, checked on the callback. */
export const oauthStates = pgTable('oauth_states', {
  state: text().primaryKey(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  consumedAt: timestamp({ withTimezone: true }),
});

/**
 * The link between a source record and its QuickBooks record: the exactly-once ledger.
 * status `pending` means a create was sent whose outcome is not yet known; the next attempt
 * looks the record up by `marker` before writing again.
 */
export const links = pgTable(
  'links',
  {
    id: serial().primaryKey(),
    realmId: text().notNull(),
    entityType: text().notNull(), // Customer | Item | Invoice | Payment
    sourceId: text().notNull(),
    /** For payments: the source invoice they belong to. */
    parentSourceId: text(),
    status: text().notNull(), // pending | linked
    qboId: text(),
    syncToken: text(),
    sourceHash: text(),
    sourceVersion: integer(),
    marker: text(),
    linkedBy: text(), // sync | admin | manual
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('links_realm_entity_source').on(t.realmId, t.entityType, t.sourceId),
    index('links_realm_entity_qbo').on(t.realmId, t.entityType, t.qboId),
    index('links_realm_parent').on(t.realmId, t.parentSourceId),
  ],
);

/** Per-company mappings of source vocabulary to QuickBooks records: tax categories and accounts. */
export const mappings = pgTable(
  'mappings',
  {
    realmId: text().notNull(),
    kind: text().notNull(), // tax_category | income_account | deposit_account
    sourceKey: text().notNull(),
    qboId: text().notNull(),
    qboName: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.kind, t.sourceKey] })],
);

/** Per-company choices for the cases where QuickBooks already has something. */
export const companyPolicies = pgTable('company_policies', {
  realmId: text().primaryKey(),
  onNameCollision: text().notNull().default('link'), // link (same party only) | ask
  onInactiveReference: text().notNull().default('ask'), // reactivate | ask
  docNumbers: text().notNull().default('source'), // source | quickbooks
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** What qbo-sync remembers about a company's QuickBooks setup, read once so syncs read nothing. */
export const companyProfiles = pgTable('company_profiles', {
  realmId: text().primaryKey(),
  country: text(),
  fetchedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** The per-company request budget shared by every worker process. */
export const realmBudgets = pgTable('realm_budgets', {
  realmId: text().primaryKey(),
  backoffUntil: timestamp({ withTimezone: true }),
});

export const realmRequestLog = pgTable(
  'realm_request_log',
  {
    id: serial().primaryKey(),
    realmId: text().notNull(),
    at: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [index('realm_request_log_realm_at').on(t.realmId, t.at)],
);

export const realmSlots = pgTable(
  'realm_slots',
  {
    realmId: text().notNull(),
    slot: integer().notNull(),
    leasedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.slot] })],
);

/** A backfill: many documents submitted at once, followed as one. */
export const batches = pgTable('batches', {
  id: text().primaryKey(),
  total: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const batchItems = pgTable(
  'batch_items',
  {
    batchId: text()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    syncId: text(),
    outcome: text().notNull(), // started | updated | unchanged | rejected
    error: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.position] })],
);

/**
 * The company's book-close date (QuickBooks Preferences.AccountingInfoPrefs.BookCloseDate) as last read,
 * shared by every sync held by a closed period: one Preferences read per company per check interval.
 * `claimedAt` is taken by the one checker that reads it; `readAt` is when `bookCloseDate` was read.
 */
export const companyBookClose = pgTable('company_book_close', {
  realmId: text().primaryKey(),
  bookCloseDate: text(), // YYYY-MM-DD, null when no closing date is set
  readAt: timestamp({ withTimezone: true }),
  claimedAt: timestamp({ withTimezone: true }),
});

/**
 * Syncs paused for a cause (auth, closed_period), written by the workflow's self-check activity: the
 * resume routes find the company's waiting syncs here as well as in visibility, which lags.
 */
export const waitingSyncs = pgTable(
  'waiting_syncs',
  {
    syncId: text().primaryKey(),
    realmId: text().notNull(),
    reason: text().notNull(), // auth | closed_period
    since: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('waiting_syncs_realm_reason').on(t.realmId, t.reason)],
);
